/**
 * The gallery's photos, drawn as SVG landscapes from a seed: varied, the same
 * on every run, and needing no internet (the seed used Picsum).
 */
import { seededRandom } from './content'

export const photoCount = 48

function hsl(hue: number, saturation: number, lightness: number) {
  return `hsl(${Math.round(hue)} ${Math.round(saturation)}% ${Math.round(lightness)}%)`
}

/** A 400×300 landscape: sky gradient, a sun or moon, three mountain ridges and a lake. */
export function photoSvg(id: number): string {
  const random = seededRandom(id * 7919 + 17)
  const hue = random() * 360
  const night = random() < 0.25
  const sky = [hsl(hue, 70, night ? 12 : 72), hsl(hue + 40, 60, night ? 28 : 88)]
  const sunX = 60 + random() * 280
  const sunY = 50 + random() * 70
  const ridges = [0, 1, 2].map((layer) => {
    const base = 170 + layer * 35
    const points: string[] = ['0,300']
    for (let x = 0; x <= 400; x += 40) points.push(`${x},${Math.round(base - random() * (90 - layer * 20))}`)
    points.push('400,300')
    const color = hsl(hue + 180 + layer * 15, 35, (night ? 10 : 30) + layer * 12)
    return `<polygon points="${points.join(' ')}" fill="${color}"/>`
  })
  const lake = random() < 0.5 ? `<rect y="262" width="400" height="38" fill="${hsl(hue, 50, night ? 20 : 60)}" opacity="0.8"/>` : ''
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300" role="img" aria-label="Demo photo ${id}">`,
    `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${sky[0]}"/><stop offset="1" stop-color="${sky[1]}"/></linearGradient></defs>`,
    '<rect width="400" height="300" fill="url(#sky)"/>',
    `<circle cx="${sunX.toFixed(0)}" cy="${sunY.toFixed(0)}" r="${night ? 18 : 28}" fill="${night ? '#f4f1de' : hsl(45, 95, 60)}"/>`,
    ...ridges,
    lake,
    `<text x="392" y="292" text-anchor="end" font-family="sans-serif" font-size="11" fill="white" opacity="0.7">#${id}</text>`,
    '</svg>',
  ].join('')
}

export function randomPhotoId(): number {
  return 1 + Math.floor(Math.random() * photoCount)
}
