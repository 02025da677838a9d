import {
  applicationPageSchema,
  applicationSchema,
  createApplicationInput,
  listApplicationsQuery,
  updateApplicationInput,
} from "@/lib/applications/application-schemas";
import { defineOperation, idParams } from "../operation";

export const listApplicationsOperation = defineOperation({
  id: "listApplications",
  method: "GET",
  path: "/applications",
  summary: "List the applications the caller may see (paginated, filterable)",
  tag: "applications",
  access: "applications:read",
  query: listApplicationsQuery,
  response: applicationPageSchema,
});

export const createApplicationOperation = defineOperation({
  id: "createApplication",
  method: "POST",
  path: "/applications",
  summary: "Register an application for a team",
  tag: "applications",
  access: "applications:create",
  body: createApplicationInput,
  response: applicationSchema,
  successStatus: 201,
});

export const getApplicationOperation = defineOperation({
  id: "getApplication",
  method: "GET",
  path: "/applications/{id}",
  summary: "Read one application (ETag carries its version)",
  tag: "applications",
  access: "applications:read",
  params: idParams,
  response: applicationSchema,
});

export const updateApplicationOperation = defineOperation({
  id: "updateApplication",
  method: "PATCH",
  path: "/applications/{id}",
  summary: "Update an application; requires If-Match with the version edited",
  tag: "applications",
  access: "applications:update",
  params: idParams,
  body: updateApplicationInput,
  response: applicationSchema,
  ifMatch: true,
});

export const archiveApplicationOperation = defineOperation({
  id: "archiveApplication",
  method: "POST",
  path: "/applications/{id}/archive",
  summary: "Archive an application; requires If-Match",
  tag: "applications",
  access: "applications:archive",
  params: idParams,
  response: applicationSchema,
  ifMatch: true,
});
