// Runs inside the page: parses a card with a SerializationContext, collects
// every parse and validation event, and renders it into #card.
"use strict";

// An approximation of Teams' light theme; the real Teams renderer is not
// available outside Teams.
const teamsHostConfig = {
  fontFamily: "'Segoe UI', 'DejaVu Sans', sans-serif",
  supportsInteractivity: true,
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  fontSizes: { small: 12, default: 14, medium: 16, large: 20, extraLarge: 24 },
  containerStyles: {
    default: { backgroundColor: "#FFFFFF", foregroundColors: {
      default: { default: "#242424", subtle: "#616161" }, accent: { default: "#5B5FC7", subtle: "#7579EB" },
      attention: { default: "#C4314B", subtle: "#D74654" }, good: { default: "#237B4B", subtle: "#2D8B56" },
      warning: { default: "#9A5B00", subtle: "#B36A00" } } },
    emphasis: { backgroundColor: "#F5F5F5" },
    accent: { backgroundColor: "#E8EBFA" },
    attention: { backgroundColor: "#FCF4F6" },
    good: { backgroundColor: "#E7F2DA" },
    warning: { backgroundColor: "#FBF6D9" },
  },
  actions: { maxActions: 5, buttonSpacing: 8, showCard: { actionMode: "inline" }, actionsOrientation: "horizontal", actionAlignment: "left" },
  factSet: { title: { weight: "bolder", wrap: true, maxWidth: 150 }, value: { wrap: true }, spacing: 12 },
};

function eventsOf(ctx, kind) {
  const out = [];
  for (let i = 0; i < ctx.eventCount; i++) {
    const e = ctx.getEventAt(i);
    out.push({ kind, phase: AdaptiveCards.ValidationPhase[e.phase], event: AdaptiveCards.ValidationEvent[e.event], message: e.message });
  }
  return out;
}

window.renderCard = function (json) {
  const card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = new AdaptiveCards.HostConfig(teamsHostConfig);
  const ctx = new AdaptiveCards.SerializationContext();
  card.parse(json, ctx);
  const events = eventsOf(ctx, "parse");
  const validation = card.validateProperties();
  for (let i = 0; i < validation.validationEvents.length; i++) {
    const e = validation.validationEvents[i];
    events.push({ kind: "validate", phase: AdaptiveCards.ValidationPhase[e.phase], event: AdaptiveCards.ValidationEvent[e.event], message: e.message });
  }
  const host = document.getElementById("card");
  host.replaceChildren();
  const el = card.render();
  if (!el) {
    events.push({ kind: "render", phase: "Render", event: "Other", message: "card.render() returned nothing" });
  } else {
    host.appendChild(el);
  }
  return { events, version: card.version ? card.version.toString() : "" };
};
