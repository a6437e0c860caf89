/**
 * Thrown by the emulator's control methods (`approve`, `fault`, …) for bad input, such as an unknown user code.
 * Over HTTP the control API answers these with status 400 and `{ "message" }`.
 */
export class EmulatorControlError extends Error {
  override readonly name = 'EmulatorControlError';
}
