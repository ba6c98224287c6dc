import type { LinkedCitation } from '../../../src/contract/index.js';

/** A citation as the chat page keeps it (in localStorage too): what it shows and where it opens. */
export type Cite = Pick<LinkedCitation, 'n' | 'title' | 'page' | 'link'> & {
  headingPath?: string[];
  /** Another center's open material (a subscription): its owner and licence, shown with the source. */
  sharedFrom?: Pick<NonNullable<LinkedCitation['sharedFrom']>, 'centerName' | 'licence'> & { attribution?: string };
};

/** A message of the conversation as the chat page keeps it. */
export interface ChatMessage {
  role: 'user' | 'bot';
  text: string;
  id?: string;
  cites?: Cite[];
  answerable?: boolean;
  /** Given from a verified answer, written and confirmed by the center's teachers. */
  verified?: boolean;
  rating?: 'up' | 'down';
  sent?: boolean;
}
