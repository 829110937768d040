// Key Vault in RBAC mode for the secrets the app reads through Key Vault
// references in its app settings (@Microsoft.KeyVault(SecretUri=...)).
// A secret is written only when its value is given; an empty parameter
// leaves the current secret (for instance one set with
// `az keyvault secret set`) untouched.

param name string
param location string
param tags object

@secure()
@description('Teams Workflows webhook URL (it carries a signature: a secret).')
param teamsWebhookUrl string = ''

@secure()
@description('SMTP password (or token) for the email notifier.')
param smtpPassword string = ''

// Secret names; the app settings reference them by these names.
var teamsSecretName = 'teams-webhook-url'
var smtpSecretName = 'smtp-password'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }

  resource teams 'secrets' = if (!empty(teamsWebhookUrl)) {
    name: teamsSecretName
    properties: {
      value: teamsWebhookUrl
      contentType: 'text/plain'
    }
  }

  resource smtp 'secrets' = if (!empty(smtpPassword)) {
    name: smtpSecretName
    properties: {
      value: smtpPassword
      contentType: 'text/plain'
    }
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
// Versionless secret URIs: a Key Vault reference to them follows rotation.
output teamsSecretUri string = '${vault.properties.vaultUri}secrets/${teamsSecretName}'
output smtpSecretUri string = '${vault.properties.vaultUri}secrets/${smtpSecretName}'
