/**
 * The text cut to at most `maxUnits` UTF-16 code units on a whole character: a cut between the two halves of a
 * surrogate pair (an emoji, a rare Han character) would leave a lone surrogate, which no database stores, and so
 * would make a valid long message fail for ever. Linear in `maxUnits`, whatever the length of the text.
 */
export function cutText(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  const last = text.charCodeAt(maxUnits - 1);
  const splitsPair = last >= 0xd800 && last <= 0xdbff;
  return text.slice(0, splitsPair ? maxUnits - 1 : maxUnits);
}
