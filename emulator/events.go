package emulator

import (
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/vnetdrift/vnetdrift/estate"
)

// Event types of a subscription system topic (Microsoft.Resources.Subscriptions).
const (
	EventTypeWriteSuccess  = "Microsoft.Resources.ResourceWriteSuccess"
	EventTypeDeleteSuccess = "Microsoft.Resources.ResourceDeleteSuccess"
)

// contributorRoleID is the built-in Contributor role definition.
const contributorRoleID = "b24988ac-6180-42a0-ab88-20f7382dd24c"

// armEvent is one resource event, independent of the delivery schema.
type armEvent struct {
	ID, Topic, Subject, Type string
	Time                     time.Time
	Data                     eventData
}

type eventData struct {
	Authorization    authorization     `json:"authorization"`
	Claims           map[string]string `json:"claims"`
	CorrelationID    string            `json:"correlationId"`
	HTTPRequest      httpRequest       `json:"httpRequest"`
	ResourceProvider string            `json:"resourceProvider"`
	ResourceURI      string            `json:"resourceUri"`
	OperationName    string            `json:"operationName"`
	Status           string            `json:"status"`
	SubscriptionID   string            `json:"subscriptionId"`
	TenantID         string            `json:"tenantId"`
	ResourceGroup    string            `json:"resourceGroup"`
}

type authorization struct {
	Scope    string   `json:"scope"`
	Action   string   `json:"action"`
	Evidence evidence `json:"evidence"`
}

type evidence struct {
	Role                string `json:"role"`
	RoleAssignmentScope string `json:"roleAssignmentScope"`
	RoleAssignmentID    string `json:"roleAssignmentId"`
	RoleDefinitionID    string `json:"roleDefinitionId"`
	PrincipalID         string `json:"principalId"`
	PrincipalType       string `json:"principalType"`
}

type httpRequest struct {
	ClientRequestID string `json:"clientRequestId"`
	ClientIPAddress string `json:"clientIpAddress"`
	Method          string `json:"method"`
	URL             string `json:"url"`
}

// publish queues the event of a successful write or delete of resourceID.
// Only the resource the request named gets an event: ARM raises none for
// side effects such as the other peering half turning Connected. The
// caller holds s.mu.
func (s *Server) publish(info reqInfo, resourceID, operation string, deleted bool) {
	s.events.enqueue(newEvent(info, resourceID, operation, deleted, time.Now().UTC()))
}

func newEvent(info reqInfo, resourceID, operation string, deleted bool, now time.Time) armEvent {
	sub := estate.SubscriptionOf(resourceID)
	typ := EventTypeWriteSuccess
	if deleted {
		typ = EventTypeDeleteSuccess
	}
	c := info.caller
	return armEvent{
		ID: newID(), Topic: "/subscriptions/" + sub, Subject: resourceID, Type: typ, Time: now,
		Data: eventData{
			Authorization: authorization{Scope: resourceID, Action: operation, Evidence: evidence{
				Role: "Contributor", RoleAssignmentScope: "/subscriptions/" + sub,
				RoleAssignmentID: uuid.NewSHA1(uuid.NameSpaceURL, []byte(sub+"/"+c.objectID)).String(),
				RoleDefinitionID: contributorRoleID, PrincipalID: c.objectID, PrincipalType: c.principalType,
			}},
			Claims:        c.claims,
			CorrelationID: info.correlationID,
			HTTPRequest: httpRequest{
				ClientRequestID: info.clientRequestID, ClientIPAddress: info.clientIP,
				Method: info.method, URL: info.url,
			},
			ResourceProvider: strings.SplitN(operation, "/", 2)[0],
			ResourceURI:      resourceID,
			OperationName:    operation,
			Status:           "Succeeded",
			SubscriptionID:   sub,
			TenantID:         c.tenantID,
			ResourceGroup:    estate.ResourceGroupOf(resourceID),
		},
	}
}

// eventGridEvent is the EventGridSchema envelope.
type eventGridEvent struct {
	ID              string    `json:"id"`
	Topic           string    `json:"topic"`
	Subject         string    `json:"subject"`
	EventType       string    `json:"eventType"`
	EventTime       string    `json:"eventTime"`
	Data            eventData `json:"data"`
	DataVersion     string    `json:"dataVersion"`
	MetadataVersion string    `json:"metadataVersion"`
}

// cloudEvent is the CloudEvents 1.0 envelope (JSON format).
type cloudEvent struct {
	SpecVersion string    `json:"specversion"`
	ID          string    `json:"id"`
	Source      string    `json:"source"`
	Subject     string    `json:"subject"`
	Type        string    `json:"type"`
	Time        string    `json:"time"`
	Data        eventData `json:"data"`
}

// encode renders an event as a one-event batch in the given schema and
// returns the body and its content type.
func (e armEvent) encode(schema string) ([]byte, string) {
	t := e.Time.Format(time.RFC3339Nano)
	if schema == SchemaCloudEvents {
		return mustJSON([]cloudEvent{{SpecVersion: "1.0", ID: e.ID, Source: e.Topic, Subject: e.Subject, Type: e.Type, Time: t, Data: e.Data}}),
			"application/cloudevents-batch+json; charset=utf-8"
	}
	return mustJSON([]eventGridEvent{{ID: e.ID, Topic: e.Topic, Subject: e.Subject, EventType: e.Type, EventTime: t,
			Data: e.Data, DataVersion: "2", MetadataVersion: "1"}}),
		"application/json; charset=utf-8"
}

// redactURL drops the query and user info of a webhook URL for logs and
// errors: webhook URLs often carry a key (…?code=…).
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}
