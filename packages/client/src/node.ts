// The Node entry of @gansight/client: Node 20 has no global WebSocket, so subscriptions use `ws`.
import WebSocket from 'ws';
import { setDefaultWebSocket } from './client';

setDefaultWebSocket(WebSocket);

export * from './index';
