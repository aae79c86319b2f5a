// @gansight/client: typed operations generated from the API's schema (src/generated), a
// fetch + graphql-ws client with typed errors, and helpers for the integrator's path.
export { GansightClient, createGansightClient, setDefaultWebSocket, type GansightClientOptions, type Operation, type SubscriptionHandlers } from './client';
export { GansightApiError, isApiError, type ApiErrorCode, type ClientErrorCode, type GraphqlErrorEntry } from './errors';
export { DIRECT_UPLOAD_MAX_BYTES, sha256Hex, sniffImageType, uploadImage, type UploadImageOptions, type UploadRequest, type UploadSender, type UploadedImage } from './images';
export {
  inspectImage,
  isFinished,
  submitInspection,
  waitForInspection,
  waitForInspections,
  type Inspection,
  type InspectionProgress,
  type WaitOptions,
} from './inspections';
export * from './generated/graphql';
