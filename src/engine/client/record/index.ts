// client-go's tools/record: EventBroadcaster, EventRecorder and the EventCorrelator (aggregation of
// similar events, counting of repeats by PATCH, the per-object spam filter), writing core/v1 Events.
// Left out: the events.k8s.io/v1 recorder (EventSeries) and the broadcaster's queue limit.
export { EVENT_TYPE_NORMAL, EVENT_TYPE_WARNING, EventBroadcaster, restEventSink, sprintf, type EventBroadcasterOptions, type EventObject, type EventRecorder, type EventSink } from './eventRecorder.ts';
export { EventCorrelator, LruCache, getEventKey, getSpamKey, type CorrelatorOptions, type EventCorrelateResult } from './eventsCache.ts';
