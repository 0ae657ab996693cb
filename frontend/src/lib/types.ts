// Shapes of what the Go services return, as the components see them.

export type UILang = 'en' | 'zh-CN';

export interface Settings {
  ollamaHost: string;
  chatModel: string;
  embedModel: string;
  agentLang: string;
  uiLang: string;
  ingestPort: number;
  ingestToken: string;
  chatwootMode: string;
  chatwootUrl: string;
  chatwootAccountId: number;
  chatwootToken: string;
  chatwootSecret: string;
  /** The shop's termbase, kept in both directions of translation. */
  glossary?: GlossaryEntry[] | null;
}

/** A shop term: source in the agent's language, target in the customer's ('' lang = any). */
export interface GlossaryEntry {
  source: string;
  target: string;
  lang: string;
}

export interface APIStatus {
  listening: boolean;
  url: string;
  error: string;
}

export type HealthState = 'checking' | 'ok' | 'unreachable' | 'model_missing' | 'failing';

export interface Status {
  state: string;
  host: string;
  version: string;
  chatModel: string;
  embedModel: string;
  missingModel: string;
  detail: string;
  models: string[] | null;
}

export interface Conversation {
  id: number;
  source: string;
  externalId: string;
  title: string;
  customerName: string;
  customerLang: string;
  status: string;
  lastMessage: string;
  messageCount: number;
  updatedAt: string;
  /** As the latest finished suggestion read the customer (from the database). */
  sentiment?: string;
  urgency?: string;
}

export interface Message {
  id: number;
  conversationId: number;
  role: string;
  text: string;
  lang: string;
  sentAt: string;
}

export interface KnowledgeHit {
  article: { id: number; key: string; title: string; url: string; lang: string };
  passage: string;
  matches: string[] | null;
  score: number;
  /** How it was found: 'words' (lexical), 'meaning' (embeddings), or both. */
  via: string[] | null;
}

export interface Found {
  hits: KnowledgeHit[] | null;
  /** Why meaning-based search was left out although a model is set. */
  semanticError?: string;
}

export interface SimilarConversation {
  conversation: Conversation;
  question: string;
  resolution: string;
  matches: string[] | null;
  score: number;
}

export interface EmbedProgress {
  model: string;
  done: number;
  total: number;
  error: string;
  over: boolean;
}

export interface ImportReport {
  conversations: number;
  messages: number;
  duplicates: number;
  skipped: { line: number; reason: string }[] | null;
}

export interface ImportProgress {
  path: string;
  done: number;
  total: number;
}

/** A knowledge-base article; body is "" in lists and the full text when opened. */
export interface Article {
  id: number;
  key: string;
  title: string;
  body: string;
  tags: string;
  lang: string;
  url: string;
  source: string;
  updatedAt: string;
}

export interface ArticlePage {
  articles: Article[];
  total: number;
}

/** What a knowledge-base import did. */
export interface KBReport {
  source: string;
  added: string[];
  updated: string[];
  unchanged: number;
  removed: string[];
  skipped: { where: string; reason: string }[] | null;
}

/** Where articles came from, and whether Tandem follows it. */
export interface KBSource {
  path: string;
  articles: number;
  watched: boolean;
  last: KBReport | null;
  error: string;
  at: string;
}

export interface KBProgress {
  path: string;
  done: number;
  total: number;
}

export type SuggestStatus = 'streaming' | 'done' | 'cancelled' | 'failed';
export type Tone = '' | 'friendly' | 'formal' | 'empathetic' | 'shorter';
export type FeedbackAction = 'shown' | 'inserted' | 'copied' | 'edited' | 'dismissed' | 'thumbs_up' | 'thumbs_down';

/** The model's structured answer for one customer turn, as far as it has streamed. */
export interface Suggestion {
  draft: string;
  /** 1-based into the update's articles. */
  citations: number[] | null;
  followups: string[] | null;
  sentiment: string;
  urgency: string;
  intent: string;
  language: string;
  handover: boolean;
}

/** suggest:update: a suggestion as it streams. */
export interface SuggestUpdate {
  conversationId: number;
  messageId: number;
  suggestionId: number;
  status: SuggestStatus | string;
  suggestion: Suggestion;
  articles: KnowledgeHit[] | null;
  /** Facts the customer already gave, e.g. "order number": "#100482". */
  known: Record<string, string> | null;
  /** Follow-ups removed because they asked for a known fact. */
  dropped: string[] | null;
  repaired: boolean;
  flagged: boolean;
  tone: string;
  error: string;
}

/** suggest:translation: the customer's message in the agent's language, as it streams. */
export interface TranslationView {
  conversationId: number;
  messageId: number;
  suggestionId: number;
  status: SuggestStatus | string;
  text: string;
  from: string;
  to: string;
  /** Glossary terms the translation did not keep. */
  missing: GlossaryEntry[] | null;
  error: string;
}

/** What the panel shows for a conversation. */
export interface Turn {
  update?: SuggestUpdate | null;
  translation?: TranslationView | null;
}

/** The agent's reply in the customer's language. */
export interface ReplyTranslation {
  text: string;
  from: string;
  to: string;
  missing: GlossaryEntry[] | null;
}
