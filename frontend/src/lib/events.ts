// Events from the Go side, named domain:action. Mirrors the list in
// app/events.go; a Go test keeps the two in step.
export const Events = {
  statusChanged: 'status:changed',
  settingsChanged: 'settings:changed',
  conversationsChanged: 'conversations:changed',
  clipboardChanged: 'clipboard:changed',
  ingestFailed: 'ingest:failed',
  apiChanged: 'api:changed',
  importProgress: 'import:progress',
  kbEmbedding: 'kb:embedding',
  kbProgress: 'kb:progress',
  kbChanged: 'kb:changed',
  kbWatched: 'kb:watched',
  suggestUpdate: 'suggest:update',
  suggestTranslation: 'suggest:translation',
} as const;

export type EventName = (typeof Events)[keyof typeof Events];
