import { translate } from './i18n';
import type { Status } from './types';

export type Tone = 'ok' | 'warn' | 'error' | 'pending';

/** What the status bar says about the Ollama connection, and how loudly. */
export function describeStatus(s: Status, lang: string): { text: string; tone: Tone } {
  switch (s.state) {
    case 'ok':
      return { text: translate(lang, 'status.ok', { version: s.version, host: s.host, model: s.chatModel }), tone: 'ok' };
    case 'unreachable':
      return { text: translate(lang, 'status.unreachable', { host: s.host }), tone: 'error' };
    case 'model_missing':
      return { text: translate(lang, 'status.modelMissing', { model: s.missingModel }), tone: 'warn' };
    case 'failing':
      return { text: translate(lang, 'status.failing', { host: s.host, detail: s.detail }), tone: 'error' };
    default:
      return { text: translate(lang, 'status.checking', { host: s.host }), tone: 'pending' };
  }
}
