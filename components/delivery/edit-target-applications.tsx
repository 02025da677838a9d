"use client";
import { useState } from "react";
import { ApiForm, useApiForm } from "@/components/forms/api-form";
import { ApplicationChecklist } from "@/components/forms/application-checklist";
import { deliveryTargetSchema, updateDeliveryTargetInput, type RolloutView } from "@/lib/delivery/delivery-schemas";
import { apiRequest } from "@/lib/query/api-client";
import { EmptyGatewayWarning } from "./create-target-form";

type Target = RolloutView["targets"][number];

/**
 * Changes which applications a registered target delivers (PATCH with If-Match: an edit
 * made meanwhile is a conflict, not overwritten). Emptying a gateway is warned about first.
 */
export function EditTargetApplications({
  target,
  applications,
  onSaved,
}: {
  target: Target;
  applications: readonly { id: string; slug: string; name: string }[];
  onSaved: () => void;
}) {
  const [emptyGateway, setEmptyGateway] = useState<"unwarned" | "warned">("unwarned");
  const isGateway = target.kind === "proxy" && target.mode === "gateway";
  const form = useApiForm({
    fields: ["applicationIds"],
    input: (data, errors) => {
      const applicationIds = data.getAll("applicationIds").map(String);
      if (isGateway && applicationIds.length === 0 && emptyGateway === "unwarned") {
        setEmptyGateway("warned");
        return null;
      }
      return errors.validate(updateDeliveryTargetInput, { applicationIds });
    },
    mutationFn: (input) =>
      apiRequest(`/delivery/targets/${target.id}`, { method: "PATCH", ifMatch: target.version, body: input, schema: deliveryTargetSchema }),
    onSuccess: () => {
      setEmptyGateway("unwarned");
      onSaved();
    },
  });
  return (
    <ApiForm
      form={form}
      submitLabel={emptyGateway === "warned" && isGateway ? "Save without applications" : "Save applications"}
      pendingLabel="Saving…"
      success={form.mutation.isSuccess ? "Saved: the target's proxies receive the new set with their next poll." : undefined}
      className="form-stack"
      aria-label={`Applications of ${target.name}`}
    >
      <ApplicationChecklist
        legend={`Applications of ${target.name}`}
        name="applicationIds"
        applications={applications}
        defaultChecked={target.applications.map((a) => a.applicationId)}
        error={form.errors.field("applicationIds")}
      />
      {emptyGateway === "warned" && isGateway ? <EmptyGatewayWarning /> : null}
    </ApiForm>
  );
}
