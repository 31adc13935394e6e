export { type RedisServer, startRedisServer } from './testing/start-redis-server.js';
