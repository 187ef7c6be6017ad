// What OHIF's viewport shows, read from screenshots of its canvas (the pixels the user
// sees, whatever cornerstone rendered them with): shared by viewer_smoke.mjs and
// bench/viewer_first_slice.mjs.

// A viewport counts as drawn when the grey levels of its canvas vary at least this much
// (standard deviation, 0-255): a blank or uniform canvas is 0.
export const kDrawnStddev = 10;

// Mean, standard deviation and a 16x16 thumbnail of grey levels of a PNG, decoded by the
// browser itself (no PNG library in web/).
export async function pixelStats(page, png) {
  return page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    const n = bitmap.width * bitmap.height;
    const thumb = new Array(256).fill(0);
    const counts = new Array(256).fill(0);
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; ++i) {
      const grey = (data[4 * i] + data[4 * i + 1] + data[4 * i + 2]) / 3;
      sum += grey;
      sumSq += grey * grey;
      const y = Math.floor(i / bitmap.width);
      const x = i % bitmap.width;
      const cell = Math.floor((y * 16) / bitmap.height) * 16 + Math.floor((x * 16) / bitmap.width);
      thumb[cell] += grey;
      counts[cell] += 1;
    }
    const mean = sum / n;
    return {
      width: bitmap.width,
      height: bitmap.height,
      mean,
      stddev: Math.sqrt(Math.max(0, sumSq / n - mean * mean)),
      thumb: thumb.map((t, i) => t / Math.max(1, counts[i])),
    };
  }, png.toString('base64'));
}

// Mean absolute difference of two thumbnails, in grey levels.
export function thumbDifference(a, b) {
  return a.reduce((total, v, i) => total + Math.abs(v - b[i]), 0) / a.length;
}

// The first viewport canvas of OHIF (cornerstone's `canvas.cornerstone-canvas`).
export function viewportCanvas(page) {
  return page.locator('canvas.cornerstone-canvas').first();
}

// Polls the viewport until it shows a non-uniform image or `timeoutMs` passes; the last
// statistics, with `drawn` and `at` (Date.now() when it was seen drawn).
export async function waitForDrawnSlice(page, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  const canvas = viewportCanvas(page);
  try {
    await canvas.waitFor({ state: 'visible', timeout: timeoutMs });
  } catch {
    return { drawn: false, error: 'no viewport canvas' };
  }
  for (;;) {
    const stats = await pixelStats(page, await canvas.screenshot());
    if (stats.stddev > kDrawnStddev) return { ...stats, drawn: true, at: Date.now() };
    if (Date.now() > deadline) return { ...stats, drawn: false };
    await page.waitForTimeout(50);
  }
}

// One mouse-wheel step over the viewport (OHIF: next slice); polls until the drawn image
// differs from `before` (a drawn slice's statistics) or `timeoutMs` passes.
export async function scrollAndWaitForChange(page, before, timeoutMs) {
  const canvas = viewportCanvas(page);
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, 120);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.waitForTimeout(100);
    const after = await pixelStats(page, await canvas.screenshot());
    const difference = thumbDifference(before.thumb, after.thumb);
    const changed = after.stddev > kDrawnStddev && difference > 0.5;
    if (changed || Date.now() > deadline)
      return { changed, mean: after.mean, stddev: after.stddev, thumb_difference: difference };
  }
}
