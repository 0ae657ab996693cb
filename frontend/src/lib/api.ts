// The one place that talks to the Go side through the generated Wails
// bindings. Stores use it; components never import the bindings.
import * as SettingsService from '../../wailsjs/go/app/SettingsService';
import * as StatusService from '../../wailsjs/go/app/StatusService';
import * as ConversationService from '../../wailsjs/go/app/ConversationService';
import * as IngestService from '../../wailsjs/go/app/IngestService';
import * as KnowledgeService from '../../wailsjs/go/app/KnowledgeService';
import * as ImportService from '../../wailsjs/go/app/ImportService';
import * as KBService from '../../wailsjs/go/app/KBService';
import * as ChatwootService from '../../wailsjs/go/app/ChatwootService';
import * as SuggestService from '../../wailsjs/go/app/SuggestService';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import type {
  APIStatus, Article, ArticlePage, Conversation, FeedbackAction, Found, ImportReport, KBReport, KBSource, Message, ReplyTranslation, Settings,
  SimilarConversation, Status, Tone, Turn,
} from './types';
import type { EventName } from './events';

export const api = {
  settings: (): Promise<Settings> => SettingsService.Get(),
  defaultSettings: (): Promise<Settings> => SettingsService.Defaults(),
  saveSettings: (s: Settings): Promise<void> => SettingsService.Save(s as never),
  databasePath: (): Promise<string> => SettingsService.DatabasePath(),

  status: (): Promise<Status> => StatusService.Status(),
  recheck: (): Promise<void> => StatusService.Recheck(),

  conversations: (): Promise<Conversation[]> => ConversationService.List() as Promise<Conversation[]>,
  messages: (id: number): Promise<Message[]> => ConversationService.Messages(id) as Promise<Message[]>,

  addMessage: (conversationId: number, role: string, text: string): Promise<Message> =>
    IngestService.Add(conversationId, role, text) as Promise<Message>,
  newConversation: (title: string, customerName: string): Promise<Conversation> =>
    IngestService.NewConversation(title, customerName) as Promise<Conversation>,
  setActive: (id: number): Promise<void> => IngestService.SetActive(id),
  setClipboardWatch: (on: boolean): Promise<boolean> => IngestService.SetClipboardWatch(on),
  clipboardWatch: (): Promise<boolean> => IngestService.ClipboardWatch(),
  copy: (text: string): Promise<void> => IngestService.Copy(text),
  apiStatus: (): Promise<APIStatus> => IngestService.APIStatus(),

  /** semantic: also search by meaning (an embedding call), when a model is set. */
  knowledge: (conversationId: number, semantic: boolean): Promise<Found> =>
    KnowledgeService.ForConversation(conversationId, semantic) as Promise<Found>,
  similar: (conversationId: number): Promise<SimilarConversation[]> =>
    KnowledgeService.Similar(conversationId) as Promise<SimilarConversation[]>,

  chooseTranscript: (): Promise<string> => ImportService.Choose(),
  importTranscript: (path: string): Promise<ImportReport> => ImportService.Import(path) as Promise<ImportReport>,
  cancelImport: (): Promise<void> => ImportService.Cancel(),

  kbList: (query: string): Promise<ArticlePage> => KBService.List(query) as Promise<ArticlePage>,
  kbArticle: (key: string): Promise<Article> => KBService.Article(key) as Promise<Article>,
  kbDelete: (key: string): Promise<void> => KBService.Delete(key),
  kbChooseFolder: (): Promise<string> => KBService.ChooseFolder(),
  kbChooseFile: (): Promise<string> => KBService.ChooseFile(),
  kbImport: (path: string, watch: boolean): Promise<KBReport> => KBService.Import(path, watch) as Promise<KBReport>,
  kbCancel: (): Promise<void> => KBService.Cancel(),
  kbSources: (): Promise<KBSource[]> => KBService.Sources() as Promise<KBSource[]>,
  kbSetWatch: (path: string, on: boolean): Promise<void> => KBService.SetWatch(path, on),

  sendToChatwoot: (conversationId: number, text: string, isPrivate: boolean): Promise<void> =>
    ChatwootService.Send(conversationId, text, isPrivate),

  /** The last suggestion and translation of a conversation, from the database (not generated again). */
  latest: (conversationId: number): Promise<Turn> => SuggestService.Latest(conversationId) as Promise<Turn>,
  /** Runs only the draft again, in a tone. */
  regenerate: (conversationId: number, tone: Tone): Promise<void> => SuggestService.Regenerate(conversationId, tone),
  feedback: (suggestionId: number, action: FeedbackAction, finalText: string, reason: string): Promise<void> =>
    SuggestService.Feedback(suggestionId, action, finalText, reason),
  /** The agent's reply in the customer's language, for the agent to read both before adding it. */
  translateReply: (conversationId: number, text: string): Promise<ReplyTranslation> =>
    SuggestService.TranslateReply(conversationId, text) as Promise<ReplyTranslation>,

  /** Subscribes to a Go event; returns the unsubscribe function. */
  on<T>(name: EventName, fn: (data: T) => void): () => void {
    return EventsOn(name, fn);
  },
};

export type Api = typeof api;
