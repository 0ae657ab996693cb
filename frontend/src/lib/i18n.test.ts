import { describe, expect, it } from 'vitest';
import { dictionaries, translate } from './i18n';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n', () => {
  it('has every key in every language, with the same placeholders', () => {
    const en = dictionaries.en;
    for (const [lang, dict] of Object.entries(dictionaries)) {
      expect(Object.keys(dict).sort(), lang).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en) as (keyof typeof en)[]) {
        expect(placeholders(dict[key]), `${lang} ${key}`).toEqual(placeholders(en[key]));
        expect(dict[key].trim(), `${lang} ${key}`).not.toBe('');
      }
    }
  });

  it('fills parameters and falls back to English', () => {
    expect(translate('zh-CN', 'conversations.messages', { n: 3 })).toBe('3 条消息');
    expect(translate('fr', 'conversations.messages', { n: 3 })).toBe('3 messages');
    expect(translate('en', 'status.modelMissing', {})).toContain('{model}');
  });
});
