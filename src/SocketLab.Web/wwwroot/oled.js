// Draws the board's 128×64 MONO_VLSB framebuffer: 8 pages of 128 bytes, bit 0 of a byte is the top row of its page.
export const WIDTH = 128, HEIGHT = 64, SCALE = 3;

export function drawGlass(canvas, base64) {
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#05070a';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  if (!base64) return;
  const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
  if (bytes.length !== WIDTH * HEIGHT / 8) return;
  ctx.fillStyle = '#bfe6ff';
  for (let page = 0; page < HEIGHT / 8; page++) {
    for (let x = 0; x < WIDTH; x++) {
      const b = bytes[page * WIDTH + x];
      if (!b) continue;
      for (let bit = 0; bit < 8; bit++) {
        if (b & (1 << bit)) ctx.fillRect(x * SCALE, (page * 8 + bit) * SCALE, SCALE - 0.5, SCALE - 0.5);
      }
    }
  }
}

/** True when pixel (x, y) is lit; used by tests and the hover readout. */
export function pixel(base64, x, y) {
  const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
  return (bytes[(y >> 3) * WIDTH + x] >> (y & 7)) & 1;
}
