/**
 * The Flink REST API of the JobManager. `createRestRouter` is the name the AM entry
 * (am/flink/dispatcher-services.ts) looks up; it is createFlinkRestRouter.
 */
export { createFlinkRestRouter, createFlinkRestRouter as createRestRouter, type FlinkRestOptions } from './flink-rest-router.ts';
export { flinkRestRoutes, type ClusterOverviewWithVersion, type CollectResultsInfo, type DashboardConfiguration, type JarListInfo, type JarRunRequest, type JarUploadResponse } from './flink-rest-routes.ts';
export { flinkErrorHandler, type FlinkErrorBody } from './flink-error-handler.ts';
