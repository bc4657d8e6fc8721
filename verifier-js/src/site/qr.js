/** QR codes drawn as SVG: the certificate's link to the share page, the claim page's wallet link. */
import qrcode from 'qrcode-generator';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Draws `text` as a QR code (error correction M) into an <svg> element. */
export function drawQr(svg, text) {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  let d = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (qr.isDark(r, c)) d += `M${c} ${r}h1v1h-1z`;
  }
  svg.setAttribute('viewBox', `-2 -2 ${n + 4} ${n + 4}`);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('x', '-2');
  bg.setAttribute('y', '-2');
  bg.setAttribute('width', String(n + 4));
  bg.setAttribute('height', String(n + 4));
  bg.setAttribute('fill', '#fff');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#111827');
  svg.replaceChildren(bg, path);
}
