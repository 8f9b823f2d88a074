/**
 * Draws Drip's toolbar icon (a blue drop) at each manifest size into
 * public/icon/. Run with `npx tsx scripts/make-icons.ts` after changing the shape.
 */
import { writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'

const sizes = [16, 32, 48, 128]
const blue = [31, 111, 235]

function insideDrop(x: number, y: number): boolean {
  // Unit square coordinates: a circle at the bottom with a pointed top.
  const cx = 0.5
  const cy = 0.62
  const r = 0.3
  if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) return true
  if (y < 0.08 || y > cy) return false
  const halfWidth = ((y - 0.08) / (cy - 0.08)) * r
  return Math.abs(x - cx) <= halfWidth
}

function crc32(bytes: Buffer): number {
  let crc = ~0
  for (const byte of bytes) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1))
  }
  return ~crc >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

function png(size: number): Buffer {
  const samples = 4 // 4×4 supersampling for smooth edges
  const rows: Buffer[] = []
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4)
    for (let x = 0; x < size; x++) {
      let hits = 0
      for (let sy = 0; sy < samples; sy++)
        for (let sx = 0; sx < samples; sx++)
          if (insideDrop((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size)) hits++
      const offset = 1 + x * 4
      row[offset] = blue[0]!
      row[offset + 1] = blue[1]!
      row[offset + 2] = blue[2]!
      row[offset + 3] = Math.round((255 * hits) / samples ** 2)
    }
    rows.push(row)
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8 // bit depth
  header[9] = 6 // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

for (const size of sizes) writeFileSync(new URL(`../public/icon/${size}.png`, import.meta.url), png(size))
