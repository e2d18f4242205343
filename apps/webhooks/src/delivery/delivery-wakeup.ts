import { Injectable } from '@nestjs/common';

/** Lets the intake wake this process's delivery worker at once instead of at its next poll. */
@Injectable()
export class DeliveryWakeup {
  #listener?: () => void;

  onWake(listener: () => void): void {
    this.#listener = listener;
  }

  wake(): void {
    this.#listener?.();
  }
}
