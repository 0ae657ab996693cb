package suggest

import "regexp"

// Customer text is untrusted: it may try to instruct the model. The prompt
// keeps it as quoted conversation, the app takes no action on model output,
// and a turn that looks like an attempt is flagged for the agent.
var injectionRe = regexp.MustCompile(`(?i)` +
	`\b(?:ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(?:instructions?|prompts?|rules|guidelines|directions)\b` +
	`|\b(?:system|developer)\s+(?:prompt|message|mode)\b` +
	`|\byou are now\b|\bact as (?:an?|the) (?:ai|assistant|system|admin)` +
	`|\bnew instructions?\s*:` + `|\bjailbreak\b` +
	`|(?:忽略|无视|忘记|忘掉)[^。！？\n]{0,12}(?:指令|指示|提示|规则|设定)` +
	`|(?:系统提示|你现在是|从现在起你是|扮演)`)

// LooksLikeInjection reports whether a message seems to instruct the model.
func LooksLikeInjection(text string) bool { return injectionRe.MatchString(text) }
