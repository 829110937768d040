// vnetdrift on Azure: an event-driven drift detector for virtual networks,
// deployed with `azd up` (docs/DEPLOY.md). Resources:
//   rg-<env>                 Flex Consumption Function App (custom handler),
//                            two user-assigned identities, storage (Entra
//                            only), Application Insights (Entra only), Key
//                            Vault (RBAC), optional drift topic
//   every monitored          Reader (and Network Contributor if remediation
//   subscription             is enabled) for the app identity; rg-<env>-events
//                            with the subscription's Event Grid system topic
//                            and the event subscription to OnResourceChange
//
// No registry modules (br/public:): everything is a plain resource so the
// templates can be read and syntax-checked offline (tools/bicepcheck).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and seeds the unique resource names.')
param environmentName string

@minLength(1)
@description('Region of the Function App and its resources; it must offer the Flex Consumption plan.')
param location string

@description('Monitored subscription IDs separated by commas (azd env VNETDRIFT_MONITORED_SUBSCRIPTIONS); empty monitors the deployment subscription only.')
param monitoredSubscriptions string = ''

@description('Monitored subscriptions that already have an Event Grid system topic (a subscription can have only one), separated by commas: vnetdrift gets its roles there but creates no topic; wire the event subscription by hand (docs/DEPLOY.md).')
param existingTopicSubscriptions string = ''

@description('Grant Network Contributor on every monitored subscription so vnetdrift can repair drift. Off by default.')
param enableRemediation bool = false

@allowed([
  'alert'
  'plan'
  'remediate'
])
@description('Default remediation mode of every rule with an action (VNETDRIFT_REMEDIATION); the baseline overrides it per rule. Without enableRemediation, remediate is lowered to plan.')
param remediationMode string = 'alert'

@description('Create the Event Grid event subscriptions. The function must exist first: infra/hooks/postdeploy.sh sets this after the first code deployment. Leave false on a new environment.')
param deployEventSubscriptions bool = false

@description('NCRONTAB schedule of the Reconcile timer (six fields, seconds first).')
param reconcileSchedule string = '0 */15 * * * *'

@description('Baseline: a path inside the deployed package, or the URL of a blob read with the app identity.')
param baseline string = 'baseline.yaml'

@description('Deploy an Event Grid custom topic for DriftOpened / DriftResolved events.')
param enableDriftTopic bool = false

@description('Send alerts to Teams; the webhook URL is kept in Key Vault.')
param enableTeams bool = false

@secure()
@description('Teams Workflows webhook URL; written to Key Vault when given (leave empty to keep the stored secret).')
param teamsWebhookUrl string = ''

@description('SMTP server host:port; empty disables email.')
param smtpAddr string = ''
param smtpUsername string = ''

@secure()
@description('SMTP password; written to Key Vault when given (leave empty to keep the stored secret).')
param smtpPassword string = ''

@description('SMTP authentication: plain, login or xoauth2 (empty: the code default).')
param smtpAuth string = ''
param emailFrom string = ''
param emailTo string = ''

@description('Names of further app settings that hold secrets, separated by commas (e.g. the webhook URL settings of the baseline routing receivers); each becomes a Key Vault reference to the secret named like the setting in lower case with - for _.')
param secretSettings string = ''

@description('Coalescing window of event-driven evaluations, Go duration (empty: the code default).')
param coalesceWindow string = ''

@description('Repeat interval of still-open drift notifications, Go duration (empty: the code default).')
param repeatInterval string = ''

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Days a dead-lettered event is kept.')
param deadLetterRetentionDays int = 30

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var monitoredSubscriptionIds = empty(trim(monitoredSubscriptions)) ? [subscription().subscriptionId] : filter(map(split(replace(monitoredSubscriptions, ';', ','), ','), id => trim(id)), id => !empty(id))
var existingTopicSubscriptionIds = map(filter(map(split(existingTopicSubscriptions, ','), id => trim(id)), id => !empty(id)), id => toLower(id))
var secretSettingNames = filter(map(split(secretSettings, ','), name => trim(name)), name => !empty(name))
var effectiveRemediationMode = (!enableRemediation && remediationMode == 'remediate') ? 'plan' : remediationMode
// A password is needed for PLAIN/LOGIN; XOAUTH2 and unauthenticated relays have none.
var smtpUsesPassword = !empty(smtpPassword) || (!empty(smtpUsername) && toLower(smtpAuth) != 'xoauth2')
var deploymentContainerName = 'app-package'
var deadLetterContainerName = 'eventgrid-deadletter'
var stateTableName = 'vnetdriftstate'

resource rg 'Microsoft.Resources/resourceGroups@2022-09-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identities 'app/identity.bicep' = {
  name: 'identities'
  scope: rg
  params: {
    appIdentityName: 'id-vnetdrift-${resourceToken}'
    eventGridIdentityName: 'id-vnetdrift-eg-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-vnetdrift-${resourceToken}'
    applicationInsightsName: 'appi-vnetdrift-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'stvd${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    deadLetterContainerName: deadLetterContainerName
    stateTableName: stateTableName
    deadLetterRetentionDays: deadLetterRetentionDays
  }
}

module vault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: 'kv-vd-${resourceToken}'
    location: location
    tags: tags
    teamsWebhookUrl: teamsWebhookUrl
    smtpPassword: smtpPassword
  }
}

module driftTopic 'app/drifttopic.bicep' = if (enableDriftTopic) {
  name: 'drifttopic'
  scope: rg
  params: {
    name: 'evgt-vnetdrift-${resourceToken}'
    location: location
    tags: tags
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    appPrincipalId: identities.outputs.appPrincipalId
    eventGridPrincipalId: identities.outputs.eventGridPrincipalId
    storageAccountName: storage.outputs.name
    deadLetterContainerName: deadLetterContainerName
    keyVaultName: vault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    driftTopicName: enableDriftTopic ? driftTopic.outputs.name : ''
  }
}

module functionApp 'app/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  dependsOn: [
    rbac
  ]
  params: {
    name: 'func-vnetdrift-${resourceToken}'
    planName: 'plan-vnetdrift-${resourceToken}'
    location: location
    tags: tags
    identityId: identities.outputs.appIdentityId
    identityClientId: identities.outputs.appClientId
    identityPrincipalId: identities.outputs.appPrincipalId
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    maximumInstanceCount: maximumInstanceCount
    monitoredSubscriptionIds: monitoredSubscriptionIds
    baseline: baseline
    reconcileSchedule: reconcileSchedule
    stateTableName: stateTableName
    remediationMode: effectiveRemediationMode
    coalesceWindow: coalesceWindow
    repeatInterval: repeatInterval
    teamsEnabled: enableTeams
    teamsSecretUri: vault.outputs.teamsSecretUri
    smtpAddr: smtpAddr
    smtpUsername: smtpUsername
    smtpAuth: smtpAuth
    smtpPasswordSet: smtpUsesPassword
    smtpSecretUri: vault.outputs.smtpSecretUri
    emailFrom: emailFrom
    emailTo: emailTo
    driftTopicEndpoint: enableDriftTopic ? driftTopic.outputs.endpoint : ''
    secretSettingNames: secretSettingNames
    keyVaultUri: vault.outputs.uri
  }
}

module monitored 'monitored/subscription.bicep' = [for subscriptionId in monitoredSubscriptionIds: {
  name: 'vnetdrift-monitor-${uniqueString(environmentName, subscriptionId)}'
  scope: subscription(subscriptionId)
  dependsOn: [
    rbac
  ]
  params: {
    appPrincipalId: identities.outputs.appPrincipalId
    enableRemediation: enableRemediation
    eventsResourceGroupName: 'rg-${environmentName}-events'
    location: location
    tags: tags
    createSystemTopic: !contains(existingTopicSubscriptionIds, toLower(subscriptionId))
    systemTopicName: 'evgst-vnetdrift-${uniqueString(subscriptionId, environmentName)}'
    eventGridIdentityId: identities.outputs.eventGridIdentityId
    deployEventSubscription: deployEventSubscriptions
    functionAppId: functionApp.outputs.id
    deadLetterStorageId: storage.outputs.id
    deadLetterContainerName: deadLetterContainerName
  }
}]

// azd stores these outputs in the environment (.azure/<env>/.env); the hooks
// and docs/OPERATIONS.md use them.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = subscription().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_HOSTNAME string = functionApp.outputs.defaultHostName
output AZURE_KEY_VAULT_NAME string = vault.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output DEADLETTER_CONTAINER_NAME string = deadLetterContainerName
output STATE_TABLE_NAME string = stateTableName
output APP_IDENTITY_PRINCIPAL_ID string = identities.outputs.appPrincipalId
output APP_IDENTITY_CLIENT_ID string = identities.outputs.appClientId
output MONITORED_SUBSCRIPTION_IDS string = join(monitoredSubscriptionIds, ',')
output REMEDIATION_MODE_EFFECTIVE string = effectiveRemediationMode
