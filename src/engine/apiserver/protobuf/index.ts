/**
 * Kubernetes protobuf request bodies (k8s.io/apimachinery/pkg/runtime/serializer/protobuf), decoded only:
 * kubectl's typed-client commands (`create <kind>`, `auth can-i`, `auth whoami`, `create token`) POST
 * `application/vnd.kubernetes.protobuf`, and the apiserver turns the body into the JSON object a JSON client
 * would have sent. Responses stay JSON (client-go decodes a response by its Content-Type), so there is no
 * encoder. The message table (schema.json, ~64 KB, ~11 KB gzipped) is data; load this module lazily
 * (`await import(...)`) so it stays out of the first-paint bundle.
 */
export { decodeKubernetesProtobuf, ProtobufDecodeError, PROTOBUF_CONTENT_TYPE } from './decode.ts';
