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
import { EventsOn } from '../../wailsjs/runtime/runtime';
import type {
  APIStatus, Article, ArticlePage, Conversation, Found, ImportReport, KBReport, KBSource, Message, Settings, SimilarConversation, Status,
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

  /** Subscribes to a Go event; returns the unsubscribe function. */
  on<T>(name: EventName, fn: (data: T) => void): () => void {
    return EventsOn(name, fn);
  },
};

export type Api = typeof api;
