/**
 * The chat page's settings, written by the server into `/embed` (and an LTI launch's page) as
 * JSON in `<script id="tg-config">`: the site key, texts and colours the center chose, and who
 * may embed it.
 */
export interface EmbedConfig {
  site: string | null;
  title: string | null;
  welcome: string | null;
  starters: string[];
  color: string | null;
  lang: 'vi' | 'en';
  theme: 'light' | 'dark' | null;
  /** The embedding page's origin, checked against the key's allowed origins; null outside the widget. */
  parent: string | null;
  /** Inside the widget's iframe (close and enlarge buttons, messages to the page). */
  widget: boolean;
  /** An LTI launch: the learner token the API calls carry, and whether they teach the course. */
  lti?: { token: string; teacher: boolean } | null;
}
