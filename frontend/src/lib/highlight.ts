/** A piece of text, marked when it is one of the matched words. */
export interface Segment {
  text: string;
  hit: boolean;
}

/**
 * Cuts text into segments so that every occurrence of a match (any case) is
 * marked. A word in a spaced script is marked only at the start of a word
 * ("track" in "tracking", not "race" in "trace"); Chinese, written without
 * spaces, anywhere.
 */
export function highlight(text: string, matches: string[] | null): Segment[] {
  const words = (matches ?? []).filter((m) => m.trim() !== '').sort((a, b) => b.length - a.length);
  if (words.length === 0) return [{ text, hit: false }];
  const escaped = words.map((w) => {
    const e = w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(w) ? e : `(?<![\\p{L}\\p{N}])${e}`;
  });
  const re = new RegExp(`(${escaped.join('|')})`, 'giu');
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index! > last) out.push({ text: text.slice(last, m.index), hit: false });
    out.push({ text: m[0], hit: true });
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), hit: false });
  return out;
}
