// Draws the board's 128×64 MONO_VLSB framebuffer: 8 pages of 128 bytes, bit 0 of a byte is the top row of its page.
// Each board pixel is a 3×3 block with a dark gap on its right and bottom, written straight into an ImageData
// (one putImageData a frame, instead of a fillRect per lit pixel).
export const WIDTH = 128, HEIGHT = 64, SCALE = 3;
const ON = [0xbf, 0xe6, 0xff], OFF = [0x05, 0x07, 0x0a], GAP = [0x23, 0x2a, 0x30];

export function drawGlass(canvas, base64) {
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(WIDTH * SCALE, HEIGHT * SCALE);
  const px = image.data;
  const bytes = base64 ? Uint8Array.from(atob(base64), c => c.charCodeAt(0)) : null;
  const valid = bytes && bytes.length === WIDTH * HEIGHT / 8;
  for (let y = 0; y < HEIGHT * SCALE; y++) {
    const by = (y / SCALE) | 0, edgeY = y % SCALE === SCALE - 1;
    for (let x = 0; x < WIDTH * SCALE; x++) {
      const bx = (x / SCALE) | 0;
      const lit = valid && (bytes[(by >> 3) * WIDTH + bx] >> (by & 7)) & 1;
      const c = !lit ? OFF : edgeY || x % SCALE === SCALE - 1 ? GAP : ON;
      const i = (y * WIDTH * SCALE + x) * 4;
      px[i] = c[0]; px[i + 1] = c[1]; px[i + 2] = c[2]; px[i + 3] = 255;
    }
  }
  ctx.putImageData(image, 0, 0);
}

/** True when pixel (x, y) is lit; used by tests and the hover readout. */
export function pixel(base64, x, y) {
  const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
  return (bytes[(y >> 3) * WIDTH + x] >> (y & 7)) & 1;
}
