// The Flex Consumption plan and the Function App running vnetdrift as a
// custom handler (runtime 'custom' 1.0: the host starts
// bin/linux-amd64/vnetdrift serve, see host.json). Every app setting the
// deployment sets is in this file; docs/CONFIGURATION.md describes them and
// infra/infra_test.go keeps the two in step with the code.

param name string
param planName string
param location string
param tags object

@description('azd service name (azure.yaml); azd finds the app by this tag.')
param serviceName string = 'vnetdrift'

param identityId string
param identityClientId string
@description('Object (principal) ID of the same identity: with the client ID, VNETDRIFT_SELF_IDS, so that our own remediation writes are recognised in events.')
param identityPrincipalId string

param blobEndpoint string
param queueEndpoint string
param tableEndpoint string
param deploymentContainerName string
param applicationInsightsConnectionString string

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@allowed([
  2048
  4096
])
param instanceMemoryMB int = 2048

// vnetdrift settings (docs/CONFIGURATION.md).
param monitoredSubscriptionIds array
param baseline string
param reconcileSchedule string
param stateTableName string
param remediationMode string
param coalesceWindow string = ''
param repeatInterval string = ''
param teamsEnabled bool = false
param teamsSecretUri string = ''
param smtpAddr string = ''
param smtpUsername string = ''
param smtpAuth string = ''
param smtpPasswordSet bool = false
param smtpSecretUri string = ''
param emailFrom string = ''
param emailTo string = ''
param driftTopicEndpoint string = ''

@description('Further settings holding secrets (e.g. the webhook URLs of the baseline\'s routing receivers), each a Key Vault reference to the secret of the same name in lower case with - for _.')
param secretSettingNames array = []
param keyVaultUri string = ''

// Host storage and telemetry, both with the user-assigned identity.
var hostSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: blobEndpoint
  AzureWebJobsStorage__queueServiceUri: queueEndpoint
  AzureWebJobsStorage__tableServiceUri: tableEndpoint
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  AZURE_CLIENT_ID: identityClientId
}

var coreSettings = {
  VNETDRIFT_SUBSCRIPTIONS: join(monitoredSubscriptionIds, ',')
  VNETDRIFT_BASELINE: baseline
  VNETDRIFT_RECONCILE_SCHEDULE: reconcileSchedule
  VNETDRIFT_STATE_TABLE: stateTableName
  VNETDRIFT_REMEDIATION: remediationMode
  VNETDRIFT_SELF_IDS: '${identityPrincipalId},${identityClientId}'
}

var coalesceSettings = empty(coalesceWindow) ? {} : { VNETDRIFT_COALESCE_WINDOW: coalesceWindow }
var repeatSettings = empty(repeatInterval) ? {} : { VNETDRIFT_REPEAT_INTERVAL: repeatInterval }

var teamsSettings = teamsEnabled ? { VNETDRIFT_TEAMS_WEBHOOK_URL: '@Microsoft.KeyVault(SecretUri=${teamsSecretUri})' } : {}

var emailSettings = empty(smtpAddr) ? {} : {
  VNETDRIFT_SMTP_ADDR: smtpAddr
  VNETDRIFT_SMTP_USERNAME: smtpUsername
  VNETDRIFT_SMTP_PASSWORD: smtpPasswordSet ? '@Microsoft.KeyVault(SecretUri=${smtpSecretUri})' : ''
  VNETDRIFT_SMTP_AUTH: smtpAuth
  VNETDRIFT_EMAIL_FROM: emailFrom
  VNETDRIFT_EMAIL_TO: emailTo
}

var topicSettings = empty(driftTopicEndpoint) ? {} : { VNETDRIFT_EVENTGRID_TOPIC_ENDPOINT: driftTopicEndpoint }

var extraSecretSettings = toObject(secretSettingNames, name => name, name => '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/${replace(toLower(name), '_', '-')})')

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'custom'
        version: '1.0'
      }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: union(extraSecretSettings, hostSettings, coreSettings, coalesceSettings, repeatSettings, teamsSettings, emailSettings, topicSettings)
  }

  // Deployments authenticate with Microsoft Entra; no basic-auth publishing.
  resource scmBasicAuth 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }

  resource ftpBasicAuth 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }
}

output name string = app.name
output id string = app.id
output defaultHostName string = app.properties.defaultHostName
