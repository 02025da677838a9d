import type { Metadata } from "next";
import { PlaceholderArea } from "@/components/placeholder-area";
import { requireSignedIn } from "@/lib/auth/current-actor";

export const metadata: Metadata = { title: "Delivery" };

export default async function DeliveryPage() {
  await requireSignedIn();
  return (
    <PlaceholderArea
      title="Delivery"
      summary="Rolling approved policy out to the gateway and the microgateways."
      plans={[
        "Which policy bundle each gateway has loaded, and when.",
        "Rollouts in progress, and gateways that failed to load a bundle.",
        "Rolling back to the previous bundle.",
      ]}
    />
  );
}
