/** The associated data a team's webhook secret is sealed with: a ciphertext copied to another team does not decrypt. */
export function webhookSecretContext(teamId: string): string {
  return `team:${teamId}:webhook-secret`;
}
