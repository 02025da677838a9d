// GET /api/v1/sso — single sign-on providers, group mappings and sign-in mode
import { handleOperation } from "@/lib/api/handle-operation";
import { getSsoConfigurationOperation } from "@/lib/api/operations";
import { getSsoConfiguration } from "@/lib/auth/sso/get-sso-configuration";

export const GET = handleOperation(getSsoConfigurationOperation, async () => getSsoConfiguration());
