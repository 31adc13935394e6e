export {
  type OtlpReceiver,
  type ReceivedSpan,
  startOtlpReceiver,
} from './testing/otlp-receiver.js';
