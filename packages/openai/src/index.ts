export type { ApiMessage, ParsedCompletion } from './chat-messages.js';
export { parseChatCompletion, toApiMessages } from './chat-messages.js';
export type { LLMCallErrorOptions, LLMCallFailure, OpenAIErrorCode } from './errors.js';
export { LLMCallError, LLMConfigError, OPENAI_ERROR_CODES, PriceUnknownError } from './errors.js';
export type { OpenAIHandlerOptions } from './openai-handler.js';
export { OpenAIHandler } from './openai-handler.js';
export type { ModelPrice, PriceTable } from './pricing.js';
export { computeCost, DEFAULT_PRICES, findPrice } from './pricing.js';
export type { RetryOptions } from './retry-policy.js';
