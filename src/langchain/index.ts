export { TrogiangRetriever, TrogiangRetrieverError, type TrogiangRetrieverOptions } from './trogiang-retriever.js';
export { retrievalDocuments, type TrogiangDocumentMetadata } from './retrieval-documents.js';
