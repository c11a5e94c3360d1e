/**
 * Errors of the TFLite -> ONNX conversion. Each names the file it was reading, since the converter runs at
 * install time where the message is all a user sees.
 */

/** The file is missing, truncated, or not a TFLite flatbuffer at all. */
export class TfliteFormatError extends Error {
  constructor(
    readonly source: string,
    readonly detail: string,
  ) {
    super(`${source}: not a readable TFLite model: ${detail}`);
    this.name = 'TfliteFormatError';
  }
}

/** The file is a valid TFLite model, but uses something the converter cannot express in ONNX. */
export class TfliteConversionError extends Error {
  constructor(
    readonly source: string,
    /** The TFLite operator involved, e.g. 'SOFTMAX' or 'CUSTOM(MaxPoolingWithArgmax2D)'. */
    readonly operator: string,
    readonly detail: string,
  ) {
    super(`${source}: cannot convert operator ${operator}: ${detail}`);
    this.name = 'TfliteConversionError';
  }
}
