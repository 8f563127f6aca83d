// flaremesh telemetry shipper: consumes the proxies' telemetry queue and ships each entry to its TelemetrySinks.
import { parseShipment } from "../../../shared/model/telemetry-shipment";
import type { ShipperEnv } from "./env";
import { accept, isWakeUp, kick } from "./shipper";

export default {
  /**
   * Messages are accepted into the isolate's bounded per-sink buffers and acknowledged at once; shipping,
   * retries and backoff run in the background, so a slow or dead sink never holds the queue.
   */
  queue(batch: MessageBatch<unknown>, env: ShipperEnv, exec: ExecutionContext): void {
    const now = Date.now();
    for (const message of batch.messages) {
      if (isWakeUp(message.body)) {
        message.ack();
        continue;
      }
      const shipment = parseShipment(message.body);
      if (shipment === null) console.warn("flaremesh-telemetry: dropping a message that is not a shipment");
      else accept(shipment, now);
      message.ack();
    }
    kick(env, exec);
  },
} satisfies ExportedHandler<ShipperEnv>;
