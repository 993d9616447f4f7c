// The load tests measure what one process sends to a registry; sharing two cores with each other would make them
// measure the scheduler. One collection for the whole project: its tests run one after the other.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]
