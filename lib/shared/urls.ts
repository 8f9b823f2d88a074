/** URL rules every context shares. */

/** Like `URL.origin`, but also for extension schemes, which some URL parsers report as opaque. */
export function originOf(url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.origin !== 'null') return parsed.origin
  return parsed.host ? `${parsed.protocol}//${parsed.host}` : undefined
}

/** An absolute http(s) URL without its fragment, or an Error saying why not. */
export function parseHttpUrl(input: string): URL {
  let url: URL
  try {
    url = new URL(input)
  } catch {
    throw new Error(`"${input.slice(0, 200)}" is not a URL.`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('Drip pays only http and https resources.')
  url.hash = ''
  return url
}

