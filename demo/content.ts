/** What the demo sells: the seed's poem, the publication's essays (`essays.ts`), and generated photos. */
import { essays } from './essays'

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

/** splitmix32: a tiny deterministic PRNG, so photos are the same on every run. */
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

/** At least this many words per article, for long-stream tests and the benchmark. */
export const minimumArticleWords = 800

/** An essay's words as a stream sells them: each word, and a `\n` after each paragraph. */
function wordsOf(paragraphs: string[]): string[] {
  return paragraphs.flatMap((paragraph) => [...paragraph.split(' '), '\n'])
}

/**
 * Not an article: a 10,000-word stream for load tests (the benchmark's
 * memory run reads it whole), the two essays back to back until it is
 * long enough. Listed only on the developers' page.
 */
function loadTest(): Article {
  const words: string[] = []
  for (let reading = 1; words.length < 10_000; reading++) for (const essay of essays) words.push(...`(Reading ${reading}: ${essay.title}.)`.split(' '), '\n', ...wordsOf(essay.paragraphs))
  return { slug: 'the-long-read', title: 'Load test: ten thousand words', author: 'The Drip test bench', words }
}

export const articles: Article[] = [...essays.map((essay) => ({ slug: essay.slug, title: essay.title, author: essay.author, words: wordsOf(essay.paragraphs) })), loadTest()]

/** The articles a reader of the publication sees (the load test is for developers). */
export const publishedArticles = articles.filter((article) => article.slug !== 'the-long-read')

export function findArticle(slug: string): Article | undefined {
  return articles.find((article) => article.slug === slug)
}
