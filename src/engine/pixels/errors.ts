/**
 * The one error the pixel functions throw: a size or parameter that does not fit. A mismatch between two
 * stages is a bug in the caller, so the message names both sides to make it quick to find.
 */
export class PixelError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'PixelError';
  }
}

export function assertDimensions(width: number, height: number, what: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new PixelError(`${what} must have positive integer dimensions, got ${width}x${height}`);
  }
}

export function assertLength(array: ArrayLike<number>, need: number, what: string): void {
  if (array.length !== need) throw new PixelError(`${what} holds ${array.length} values, needs ${need}`);
}

export function assertSameSize(
  a: { width: number; height: number },
  b: { width: number; height: number },
  what: string,
): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new PixelError(`${what}: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  }
}

export function assertRadius(radius: number, what: string): void {
  if (!Number.isFinite(radius) || radius < 0) throw new PixelError(`${what} must be a finite number >= 0, got ${radius}`);
}
