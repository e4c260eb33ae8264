/**
 * Defaulting for discovery.k8s.io/v1 (k8s.io/kubernetes/pkg/apis/discovery/v1/defaults.go): an
 * EndpointSlice port's name is "" and its protocol TCP when left out.
 *
 * An endpoint's conditions are a struct, not a pointer, so Go prints them (`conditions: {}`) even when
 * the manifest leaves them out.
 */
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Defaulter } from './index.ts';

/** SetDefaults_EndpointPort on every port, and each endpoint's printed conditions. */
function setDefaultsEndpointSlice(slice: EndpointSlice): void {
  for (const port of slice.ports ?? []) {
    port.name ??= '';
    port.protocol ??= 'TCP';
  }
  for (const endpoint of slice.endpoints ?? []) endpoint.conditions ??= {};
}

export const discoveryDefaulters: Readonly<Record<string, Defaulter>> = {
  'EndpointSlice.discovery.k8s.io': (o) => setDefaultsEndpointSlice(o as unknown as EndpointSlice),
};
