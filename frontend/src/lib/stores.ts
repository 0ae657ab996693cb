// App state, fed by the api layer and by events from Go. Components read
// these stores and call the actions below; they never call the api directly.
import { derived, get, writable, type Writable } from 'svelte/store';
import { api } from './api';
import { Events } from './events';
import { uiLang } from './i18n';
import type {
  APIStatus, Article, ArticlePage, Conversation, EmbedProgress, ImportProgress, ImportReport, KBProgress, KBReport, KBSource, KnowledgeHit,
  Message, ReplyTranslation, Settings, SimilarConversation, Status, SuggestUpdate, Tone, TranslationView, Turn, UILang,
} from './types';

export const settings = writable<Settings | null>(null);
export const status = writable<Status>({
  state: 'checking', host: '', version: '', chatModel: '', embedModel: '', missingModel: '', detail: '', models: [],
});
/** null while loading. */
export const conversations = writable<Conversation[] | null>(null);
export const selectedId = writable<number | null>(null);
/** null while loading or with nothing selected. */
export const messages = writable<Message[] | null>(null);
export const loadError = writable('');
/** Articles for the open conversation; null while loading. */
export const knowledge = writable<KnowledgeHit[] | null>(null);
/** Why the last search was by words alone although an embedding model is set; '' otherwise. */
export const knowledgeNote = writable('');
/** Resolved conversations like the open one; null while loading. */
export const similar = writable<SimilarConversation[] | null>(null);
/** Embedding of the knowledge base under way or just failed; null when there is nothing to show. */
export const embedding = writable<EmbedProgress | null>(null);
export const clipboardWatch = writable(false);
export const apiStatus = writable<APIStatus>({ listening: false, url: '', error: '' });
/** An import under way (report and error empty) or just finished. */
export interface ImportRun<R> {
  path: string;
  done: number;
  total: number;
  report: R | null;
  error: string;
}
/** The transcript import under way or just finished; null when there is none to show. */
export const importState = writable<ImportRun<ImportReport> | null>(null);
/** A passing message for the agent, e.g. a clipboard text that could not be added. */
export const notice = writable('');

function applySettings(s: Settings) {
  settings.set(s);
  uiLang.set((s.uiLang === 'zh-CN' ? 'zh-CN' : 'en') as UILang);
}

async function loadConversations() {
  const list = await api.conversations();
  conversations.set(list);
  const sel = get(selectedId);
  if (list.length > 0 && (sel === null || !list.some((c) => c.id === sel))) {
    await select(list[0].id);
  } else if (sel !== null) {
    // Refresh the open transcript in place: no loading flash for a new message.
    const msgs = await api.messages(sel);
    if (get(selectedId) === sel) messages.set(msgs);
    await loadKnowledge(sel);
  }
}

// Words first, at once; then, with an embedding model set, the fused
// ranking replaces them when the query's embedding is back.
async function loadKnowledge(id: number) {
  const words = await api.knowledge(id, false);
  if (get(selectedId) !== id) return;
  knowledge.set(words.hits ?? []);
  if (get(settings)?.embedModel) {
    const fused = await api.knowledge(id, true);
    if (get(selectedId) !== id) return;
    knowledge.set(fused.hits ?? []);
    knowledgeNote.set(fused.semanticError ?? '');
  }
  const past = await api.similar(id);
  if (get(selectedId) === id) similar.set(past ?? []);
}

/** Loads everything and subscribes to Go's events; returns the unsubscribe. */
export async function init(): Promise<() => void> {
  const offs = [
    api.on<Status>(Events.statusChanged, (s) => status.set(s)),
    api.on<Settings>(Events.settingsChanged, applySettings),
    api.on<void>(Events.conversationsChanged, () => void loadConversations().catch(fail)),
    api.on<boolean>(Events.clipboardChanged, (on) => clipboardWatch.set(on)),
    api.on<APIStatus>(Events.apiChanged, (s) => apiStatus.set(s)),
    api.on<string>(Events.ingestFailed, (e) => notice.set(e)),
    api.on<EmbedProgress>(Events.kbEmbedding, (p) => embedding.set(p.over && !p.error ? null : p)),
    api.on<ImportProgress>(Events.importProgress, progressInto(importState)),
    api.on<KBProgress>(Events.kbProgress, progressInto(kbImportState)),
    api.on<void>(Events.kbChanged, () => void kbChanged().catch(fail)),
    api.on<KBSource>(Events.kbWatched, () => void loadSources().catch(fail)),
    api.on<SuggestUpdate>(Events.suggestUpdate, applyUpdate),
    api.on<TranslationView>(Events.suggestTranslation, applyTranslation),
  ];
  try {
    const [s, st, clip, apiSt] = await Promise.all([api.settings(), api.status(), api.clipboardWatch(), api.apiStatus()]);
    applySettings(s);
    status.set(st);
    clipboardWatch.set(clip);
    apiStatus.set(apiSt);
    await loadConversations();
  } catch (e) {
    fail(e);
  }
  return () => offs.forEach((off) => off());
}

function fail(e: unknown) {
  loadError.set(String(e));
}

export async function select(id: number) {
  selectedId.set(id);
  messages.set(null);
  knowledge.set(null);
  knowledgeNote.set('');
  similar.set(null);
  replyTranslation.set(null);
  suggestionFocus.set(0);
  void loadTurn(id);
  try {
    await api.setActive(id);
    const list = await api.messages(id);
    if (get(selectedId) === id) messages.set(list);
    await loadKnowledge(id);
  } catch (e) {
    fail(e);
  }
}

/** Moves the selection up (-1) or down (+1) the conversation list. */
export async function selectNext(step: 1 | -1) {
  const list = get(conversations) ?? [];
  if (list.length === 0) return;
  const i = list.findIndex((c) => c.id === get(selectedId));
  const next = list[Math.min(list.length - 1, Math.max(0, i + step))];
  if (next) await select(next.id);
}

/** Saves settings; the Go side validates, stores and applies them at once. */
export async function saveSettings(s: Settings) {
  await api.saveSettings(s);
  applySettings(s);
}

export function recheck() {
  void api.recheck();
}

export const defaultSettings = () => api.defaultSettings();
export const databasePath = () => api.databasePath();

/** Adds a typed or pasted message to the open conversation. */
export async function addMessage(role: 'customer' | 'agent', text: string) {
  const id = get(selectedId);
  if (id === null) throw new Error('no conversation is open');
  await api.addMessage(id, role, text);
  if (role === 'agent') sentByAgent(id, text);
  await loadConversations();
}

/** Starts a conversation for messages typed or pasted by hand, and opens it. */
export async function newConversation(title: string, customerName: string) {
  const c = await api.newConversation(title, customerName);
  await loadConversations();
  await select(c.id);
}

export async function toggleClipboardWatch() {
  clipboardWatch.set(await api.setClipboardWatch(!get(clipboardWatch)));
}

export const copyText = (text: string) => api.copy(text);

/** Runs one import into state: progress comes by event (progressInto), then the report or the error. */
async function runImport<R>(state: Writable<ImportRun<R> | null>, path: string, work: () => Promise<R>): Promise<R | null> {
  state.set({ path, done: 0, total: 0, report: null, error: '' });
  try {
    const report = await work();
    state.update((s) => s && { ...s, done: s.total, report });
    return report;
  } catch (e) {
    state.update((s) => s && { ...s, error: String(e) });
    return null;
  }
}

/** Applies progress events to the import under way in state. */
function progressInto<R>(state: Writable<ImportRun<R> | null>) {
  return (p: { done: number; total: number }) =>
    state.update((s) => (s && !s.report && !s.error ? { ...s, done: p.done, total: p.total } : s));
}

/** Asks for a transcript file and imports it, with progress and a report. */
export async function importTranscript() {
  const path = await api.chooseTranscript();
  if (!path) return;
  if (await runImport(importState, path, () => api.importTranscript(path))) await loadConversations();
}

export const cancelImport = () => api.cancelImport();
export const closeImport = () => importState.set(null);

/** Sends the agent's confirmed reply (or a private note) to the open Chatwoot conversation. */
export async function sendToChatwoot(text: string, isPrivate: boolean) {
  const id = get(selectedId);
  if (id === null) throw new Error('no conversation is open');
  await api.sendToChatwoot(id, text, isPrivate);
  await loadConversations();
}

// The knowledge-base view.

export const kbOpen = writable(false);
export const kbQuery = writable('');
/** The articles matching kbQuery, without their text; null while loading. */
export const kbArticles = writable<ArticlePage | null>(null);
/** The article opened in the view, with its text. */
export const kbArticle = writable<Article | null>(null);
export const kbSources = writable<KBSource[]>([]);
/** The knowledge-base import under way or just finished. */
export const kbImportState = writable<ImportRun<KBReport> | null>(null);
export const kbError = writable('');

let kbSeq = 0;

async function loadArticles() {
  const seq = ++kbSeq;
  const page = await api.kbList(get(kbQuery));
  if (seq === kbSeq) kbArticles.set(page); // a later query's answer wins
}

async function loadSources() {
  kbSources.set(await api.kbSources());
}

/** The knowledge base changed: reload the view if open, and the open conversation's articles. */
async function kbChanged() {
  if (get(kbOpen)) await Promise.all([loadArticles(), loadSources()]);
  const open = get(kbArticle);
  if (open && !(get(kbArticles)?.articles ?? []).some((a) => a.key === open.key)) kbArticle.set(null);
  const sel = get(selectedId);
  if (sel !== null) await loadKnowledge(sel);
}

async function kbTry(work: () => Promise<void>) {
  kbError.set('');
  try {
    await work();
  } catch (e) {
    kbError.set(String(e));
  }
}

export async function openKB() {
  kbOpen.set(true);
  kbArticles.set(null);
  await kbTry(() => Promise.all([loadArticles(), loadSources()]).then(() => {}));
}

export function closeKB() {
  kbOpen.set(false);
  kbArticle.set(null);
  kbError.set('');
}

export async function searchKB(query: string) {
  kbQuery.set(query);
  await kbTry(loadArticles);
}

export async function openArticle(key: string) {
  await kbTry(async () => kbArticle.set(await api.kbArticle(key)));
}

export const closeArticle = () => kbArticle.set(null);

/** Deletes one article; the view asks the agent first. */
export async function deleteArticle(key: string) {
  await kbTry(async () => {
    await api.kbDelete(key);
    if (get(kbArticle)?.key === key) kbArticle.set(null);
    await kbChanged();
  });
}

/** Asks for a folder or a file of articles and imports it, with progress and a report. */
export async function importKB(kind: 'folder' | 'file', watch: boolean) {
  await kbTry(async () => {
    const path = kind === 'folder' ? await api.kbChooseFolder() : await api.kbChooseFile();
    if (!path) return;
    await runImport(kbImportState, path, () => api.kbImport(path, watch));
    await kbChanged();
  });
}

export const cancelKBImport = () => api.kbCancel();
export const closeKBReport = () => kbImportState.set(null);

/** Starts or stops following an imported folder. */
export async function setWatch(path: string, on: boolean) {
  await kbTry(async () => {
    await api.kbSetWatch(path, on);
    await loadSources();
  });
}

// Live suggestions. Updates stream in by event for any conversation; they
// are kept by conversation so that one never overwrites another's.

/** The latest suggestion and translation of every conversation seen, by id. */
export const turns = writable<Record<number, Turn>>({});
/** Conversations whose Latest has not answered yet. */
export const turnLoading = writable<Record<number, boolean>>({});
/** Suggestions the agent dismissed (hidden until a new one comes). */
export const dismissed = writable<Set<number>>(new Set());
/** Which suggestion Alt+N has selected: 0 the draft, i the i-th follow-up. */
export const suggestionFocus = writable(0);
/** The composer's text and role, so the panel can insert a suggestion into it. */
export const composerText = writable('');
export const composerRole = writable<'customer' | 'agent'>('customer');
/** The agent's reply in the customer's language, shown under the composer. */
export const replyTranslation = writable<(ReplyTranslation & { source: string }) | null>(null);

/** What the panel shows for the open conversation. */
export const currentTurn = derived([turns, selectedId], ([$turns, $id]) => ($id === null ? null : ($turns[$id] ?? null)));

export interface Mood {
  upset: boolean;
  urgent: boolean;
}
/**
 * Upset (angry or worried) or urgent customers, by conversation: from the
 * latest suggestion seen here, else as the conversation list read it from
 * the database (so flags show at start without opening each conversation).
 */
export const moods = derived([turns, conversations], ([$turns, $conversations]) => {
  const out: Record<number, Mood> = {};
  for (const c of $conversations ?? []) {
    const s = $turns[c.id]?.update?.suggestion ?? { sentiment: c.sentiment ?? '', urgency: c.urgency ?? '' };
    const m = { upset: s.sentiment === 'angry' || s.sentiment === 'worried', urgent: s.urgency === 'high' };
    if (m.upset || m.urgent) out[c.id] = m;
  }
  return out;
});

// A newer suggestion (a higher id) wins; an update of the same one replaces
// it, except that a finished one (done, cancelled, failed) never streams again.
function newer<T extends { suggestionId: number; status: string }>(old: T | null | undefined, next: T): boolean {
  if (!old || next.suggestionId > old.suggestionId) return true;
  return next.suggestionId === old.suggestionId && (old.status === 'streaming' || next.status !== 'streaming');
}

function applyUpdate(u: SuggestUpdate) {
  let changed = false;
  turns.update((all) => {
    const old = all[u.conversationId];
    if (!newer(old?.update, u)) return all;
    changed = true;
    const next = { ...old, update: u };
    // The translation of an older message is stale once a newer message has a draft.
    if (next.translation && next.translation.messageId < u.messageId) next.translation = null;
    if (old?.update?.messageId !== u.messageId && get(selectedId) === u.conversationId) suggestionFocus.set(0);
    return { ...all, [u.conversationId]: next };
  });
  if (changed) markShown();
}

function applyTranslation(v: TranslationView) {
  turns.update((all) => {
    const old = all[v.conversationId];
    if (!newer(old?.translation, v)) return all;
    if (old?.update && old.update.messageId > v.messageId) return all;
    return { ...all, [v.conversationId]: { ...old, translation: v } };
  });
}

async function loadTurn(id: number) {
  turnLoading.update((l) => ({ ...l, [id]: true }));
  try {
    const t = await api.latest(id);
    // Events that came meanwhile are as new or newer: apply Latest under them.
    if (t.translation) applyTranslation(t.translation);
    if (t.update) applyUpdate(t.update);
  } catch (e) {
    fail(e);
  } finally {
    turnLoading.update((l) => ({ ...l, [id]: false }));
  }
}

const shown = new Set<number>();
/** Records 'shown' once, when the open conversation's finished draft is first on screen. */
function markShown() {
  const u = get(currentTurn)?.update;
  if (!u || u.status !== 'done' || !u.suggestion.draft || shown.has(u.suggestionId)) return;
  shown.add(u.suggestionId);
  void feedback(u.suggestionId, 'shown');
}
selectedId.subscribe(() => markShown());

async function feedback(id: number, action: Parameters<typeof api.feedback>[1], finalText = '', reason = '') {
  try {
    await api.feedback(id, action, finalText, reason);
  } catch (e) {
    notice.set(String(e));
  }
}

/** The last suggestion inserted into the composer, to tell used-as-is from edited on send. */
let inserted: { conversationId: number; suggestionId: number; text: string } | null = null;

/** Puts a suggestion (the draft, or a follow-up) into the composer as the agent's reply. */
export function insertSuggestion(text: string) {
  const u = get(currentTurn)?.update;
  if (!u) return;
  composerText.set(text);
  composerRole.set('agent');
  inserted = { conversationId: u.conversationId, suggestionId: u.suggestionId, text };
  void feedback(u.suggestionId, 'inserted', text);
}

/** The agent added a reply: an inserted suggestion that was changed is recorded as edited. */
function sentByAgent(conversationId: number, text: string) {
  if (!inserted || inserted.conversationId !== conversationId) return;
  if (text.trim() !== inserted.text.trim()) void feedback(inserted.suggestionId, 'edited', text);
  inserted = null;
}

export async function copySuggestion(text: string) {
  const u = get(currentTurn)?.update;
  await api.copy(text);
  if (u) void feedback(u.suggestionId, 'copied', text);
}

export function dismissSuggestion() {
  const u = get(currentTurn)?.update;
  if (!u || get(dismissed).has(u.suggestionId)) return;
  dismissed.update((d) => new Set(d).add(u.suggestionId));
  void feedback(u.suggestionId, 'dismissed');
}

export function rateSuggestion(up: boolean, reason = '') {
  const u = get(currentTurn)?.update;
  if (u) void feedback(u.suggestionId, up ? 'thumbs_up' : 'thumbs_down', '', reason);
}

/** Runs the open conversation's draft again, in a tone; the new draft streams in by event. */
export async function regenerate(tone: Tone = '') {
  const id = get(selectedId);
  if (id === null) return;
  try {
    await api.regenerate(id, tone);
  } catch (e) {
    notice.set(String(e));
  }
}

/** Alt+N: the next of the draft and the follow-ups. */
export function focusNextSuggestion() {
  const n = (get(currentTurn)?.update?.suggestion.followups ?? []).length + 1;
  suggestionFocus.update((i) => (i + 1) % n);
}

/** Alt+I: inserts the selected suggestion (the draft unless Alt+N moved on). */
export function insertFocused() {
  const turn = get(currentTurn);
  const u = turn?.update;
  if (!u || u.status === 'cancelled' || get(dismissed).has(u.suggestionId)) return;
  const i = get(suggestionFocus);
  const text = i === 0 ? u.suggestion.draft : (u.suggestion.followups ?? [])[i - 1];
  if (text) insertSuggestion(text);
}

/** The agent's reply in the customer's language; errors are thrown for the composer to show. */
export async function translateReply(text: string) {
  const id = get(selectedId);
  if (id === null) throw new Error('no conversation is open');
  const tr = await api.translateReply(id, text);
  replyTranslation.set({ ...tr, source: text });
  return tr;
}

/** The open conversation's customer language, if known. */
export const customerLang = derived([conversations, selectedId, currentTurn], ([$c, $id, $turn]) =>
  $turn?.update?.suggestion.language || ($c ?? []).find((c) => c.id === $id)?.customerLang || $turn?.translation?.from || '');

const primary = (tag: string) => tag.toLowerCase().split(/[-_]/)[0];
/** Whether the agent's replies need translating for the open conversation's customer. */
export const needsReplyTranslation = derived([customerLang, settings], ([$lang, $s]) =>
  !!$lang && !!$s?.agentLang && primary($lang) !== primary($s.agentLang));
