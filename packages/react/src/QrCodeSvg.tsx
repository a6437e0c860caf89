import type { SVGProps } from 'react';
import { encode } from 'uqr';

export interface QrCodeSvgProps extends Omit<SVGProps<SVGSVGElement>, 'children' | 'viewBox'> {
  /** The text to encode. */
  value: string;
  /** Accessible name of the image. */
  label: string;
  /** Colour of the dark modules. Defaults to `#000`: scanners read dark-on-light most reliably. */
  foreground?: string | undefined;
  /** Colour of the light modules and the quiet zone. Defaults to `#fff`. */
  background?: string | undefined;
}

/** Width of the light border scanners need around the code, in modules (ISO/IEC 18004 asks for 4). */
const QUIET_ZONE = 4;

/**
 * A QR code as one SVG path. Loaded lazily by `DeviceCodePrompt.QrCode`, so apps that never show a QR code never
 * download the encoder.
 */
export function QrCodeSvg({
  value,
  label,
  foreground = '#000',
  background = '#fff',
  ...props
}: QrCodeSvgProps) {
  // Medium error correction: survives a glare or a smudge on a phone camera, at a modest size.
  let encoded: ReturnType<typeof encode>;
  try {
    encoded = encode(value, { ecc: 'M', border: 0 });
  } catch {
    // Longer than a QR code holds (about 2,300 bytes): the server's URL is still offered as a link.
    return null;
  }
  const { data, size } = encoded;
  const full = size + QUIET_ZONE * 2;
  let path = '';
  data.forEach((row, y) => {
    let x = 0;
    while (x < size) {
      if (!row[x]) {
        x++;
        continue;
      }
      // One rectangle per horizontal run of dark modules keeps the path short.
      const start = x;
      while (x < size && row[x]) x++;
      path += `M${start + QUIET_ZONE} ${y + QUIET_ZONE}h${x - start}v1h${start - x}z`;
    }
  });
  return (
    <svg
      role="img"
      aria-label={label}
      viewBox={`0 0 ${full} ${full}`}
      shapeRendering="crispEdges"
      xmlns="http://www.w3.org/2000/svg"
      {...props}
    >
      <rect width={full} height={full} fill={background} />
      <path d={path} fill={foreground} />
    </svg>
  );
}
