/** What the demo sells: the seed's poem, long articles for streaming, and generated photos. */

/** The seed guide's poem, word for word. */
export const poem = {
  title: 'The Road Not Taken',
  author: 'Robert Frost',
  lines: [
    'Two roads diverged in a yellow wood,',
    'And sorry I could not travel both',
    'And be one traveler, long I stood',
    'And looked down one as far as I could',
    'To where it bent in the undergrowth;',
  ],
}

/** Exactly the units the seed's route charges for: each word, and a `\n` per line. */
export const poemWords: string[] = poem.lines.flatMap((line) => [...line.split(' '), '\n'])

export type Article = { slug: string; title: string; author: string; words: string[] }

const sentences = [
  'A payment channel is a promise kept in two places at once.',
  'The reader locks a small deposit on chain, and the writer is paid as each word arrives.',
  'Nothing about the page changes, except that it no longer asks for a subscription.',
  'Every voucher the wallet signs says how much it owes in total, never how much it owes now.',
  'Because the amounts only grow, an old voucher is worth less than a new one, and cheating gains nothing.',
  'When the reader leaves, the channel closes and whatever was not spent flows back.',
  'The chain sees two transactions; the conversation in between happens over ordinary HTTP.',
  'A metered web is an old idea that waited a long time for cheap enough settlement.',
  'Micropayments failed before because each one cost more to clear than it was worth.',
  'Here the clearing happens once, at the end, and the vouchers in between are free to sign.',
  'A wallet that pays automatically must also know when to stop.',
  'It keeps a cap for every site, pins the recipient, and refuses anything it did not agree to.',
  'Readers should never have to think about a tenth of a cent.',
  'Writers should never have to guess whether a reader will pay.',
  'Streams make the bargain visible: words appear, and the counter moves with them.',
  'If the server asks for more than it delivered, the wallet simply stops signing.',
  'The deposit is the most anyone can lose, and usually they lose far less.',
  'Settlement can wait for a quiet moment, because the latest voucher is always enough.',
  'Some pages cost a cent, some a fraction of one, and the wallet treats them all the same.',
  'The protocol does not care whether the content is a poem, a photo or a forecast.',
  'What matters is that both sides can prove what happened without trusting each other.',
  'A signature on a cumulative amount is small, fast and easy to check.',
  'The reserve on chain holds the money so that neither side has to hold the other hostage.',
  'After the grace period, a reader who was abandoned by a server can still withdraw.',
  'Good defaults matter more than clever options.',
  'Most people will approve a site once and never look at the settings again.',
  'That is why the cap must be honest and the refund automatic.',
  'An article like this one is long on purpose, so that streaming has something to chew on.',
  'Each word costs a tenth of a cent, which makes two thousand words cost two dollars.',
  'That is more than most newspapers charge, and it is fine for a demonstration.',
  'In practice a writer would set a price that readers barely notice.',
  'The point is not the price but the absence of friction.',
]

/** splitmix32: a tiny deterministic PRNG, so articles and photos are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x9e3779b9) >>> 0
    let z = state
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32
  }
}

function slugSeed(slug: string): number {
  let hash = 2166136261
  for (const char of slug) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619)
  return hash >>> 0
}

/** At least this many words per article, for long-stream tests and the benchmark. */
export const minimumArticleWords = 2_000

function composeArticle(slug: string, title: string, atLeast = minimumArticleWords): Article {
  const random = seededRandom(slugSeed(slug))
  const words: string[] = []
  while (words.length < atLeast) {
    const paragraph = Array.from({ length: 4 + Math.floor(random() * 3) }, () => sentences[Math.floor(random() * sentences.length)]!)
    words.push(...paragraph.join(' ').split(' '), '\n')
  }
  return { slug, title, author: 'The Drip demo desk', words }
}

export const articles: Article[] = [
  composeArticle('metered-reading', 'Metered reading, one word at a time'),
  composeArticle('payment-channels', 'What a payment channel promises'),
  // 10,000 words, $10 at $0.001 a word: the benchmark's memory run reads it whole.
  composeArticle('the-long-read', 'The long read, ten thousand words', 10_000),
]

export function findArticle(slug: string): Article | undefined {
  return articles.find((article) => article.slug === slug)
}
