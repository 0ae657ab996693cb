export namespace app {
	
	export class APIStatus {
	    listening: boolean;
	    url: string;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new APIStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.listening = source["listening"];
	        this.url = source["url"];
	        this.error = source["error"];
	    }
	}
	export class ArticlePage {
	    articles: tandem.Article[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new ArticlePage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.articles = this.convertValues(source["articles"], tandem.Article);
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class KBSource {
	    path: string;
	    articles: number;
	    watched: boolean;
	    last?: kb.Report;
	    error: string;
	    // Go type: time
	    at: any;
	
	    static createFrom(source: any = {}) {
	        return new KBSource(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.articles = source["articles"];
	        this.watched = source["watched"];
	        this.last = this.convertValues(source["last"], kb.Report);
	        this.error = source["error"];
	        this.at = this.convertValues(source["at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TranslationView {
	    conversationId: number;
	    messageId: number;
	    suggestionId: number;
	    status: string;
	    text: string;
	    from: string;
	    to: string;
	    missing: tandem.GlossaryEntry[];
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new TranslationView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.conversationId = source["conversationId"];
	        this.messageId = source["messageId"];
	        this.suggestionId = source["suggestionId"];
	        this.status = source["status"];
	        this.text = source["text"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.missing = this.convertValues(source["missing"], tandem.GlossaryEntry);
	        this.error = source["error"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Turn {
	    update?: suggest.Update;
	    translation?: TranslationView;
	
	    static createFrom(source: any = {}) {
	        return new Turn(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.update = this.convertValues(source["update"], suggest.Update);
	        this.translation = this.convertValues(source["translation"], TranslationView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace health {
	
	export class Status {
	    state: string;
	    host: string;
	    version: string;
	    chatModel: string;
	    embedModel: string;
	    missingModel: string;
	    detail: string;
	    models: string[];
	    // Go type: time
	    checkedAt: any;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.host = source["host"];
	        this.version = source["version"];
	        this.chatModel = source["chatModel"];
	        this.embedModel = source["embedModel"];
	        this.missingModel = source["missingModel"];
	        this.detail = source["detail"];
	        this.models = source["models"];
	        this.checkedAt = this.convertValues(source["checkedAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace kb {
	
	export class Found {
	    hits: tandem.KnowledgeHit[];
	    semanticError?: string;
	
	    static createFrom(source: any = {}) {
	        return new Found(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.hits = this.convertValues(source["hits"], tandem.KnowledgeHit);
	        this.semanticError = source["semanticError"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Skipped {
	    where: string;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new Skipped(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.where = source["where"];
	        this.reason = source["reason"];
	    }
	}
	export class Report {
	    source: string;
	    added: string[];
	    updated: string[];
	    unchanged: number;
	    removed: string[];
	    skipped: Skipped[];
	
	    static createFrom(source: any = {}) {
	        return new Report(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.source = source["source"];
	        this.added = source["added"];
	        this.updated = source["updated"];
	        this.unchanged = source["unchanged"];
	        this.removed = source["removed"];
	        this.skipped = this.convertValues(source["skipped"], Skipped);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace llm {
	
	export class ChatResult {
	    text: string;
	    done: boolean;
	    doneReason: string;
	    firstToken: number;
	    total: number;
	    promptEvalCount: number;
	    promptEvalDuration: number;
	    evalCount: number;
	    evalDuration: number;
	    loadDuration: number;
	
	    static createFrom(source: any = {}) {
	        return new ChatResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.done = source["done"];
	        this.doneReason = source["doneReason"];
	        this.firstToken = source["firstToken"];
	        this.total = source["total"];
	        this.promptEvalCount = source["promptEvalCount"];
	        this.promptEvalDuration = source["promptEvalDuration"];
	        this.evalCount = source["evalCount"];
	        this.evalDuration = source["evalDuration"];
	        this.loadDuration = source["loadDuration"];
	    }
	}

}

export namespace suggest {
	
	export class Suggestion {
	    draft: string;
	    citations: number[];
	    given: string[];
	    followups: string[];
	    sentiment: string;
	    urgency: string;
	    intent: string;
	    language: string;
	    handover: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Suggestion(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.draft = source["draft"];
	        this.citations = source["citations"];
	        this.given = source["given"];
	        this.followups = source["followups"];
	        this.sentiment = source["sentiment"];
	        this.urgency = source["urgency"];
	        this.intent = source["intent"];
	        this.language = source["language"];
	        this.handover = source["handover"];
	    }
	}
	export class Translation {
	    text: string;
	    from: string;
	    to: string;
	    missing: tandem.GlossaryEntry[];
	
	    static createFrom(source: any = {}) {
	        return new Translation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.missing = this.convertValues(source["missing"], tandem.GlossaryEntry);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Update {
	    conversationId: number;
	    messageId: number;
	    suggestionId: number;
	    status: string;
	    suggestion: Suggestion;
	    articles: tandem.KnowledgeHit[];
	    known: {[key: string]: string};
	    dropped: string[];
	    repaired: boolean;
	    flagged: boolean;
	    tone: string;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new Update(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.conversationId = source["conversationId"];
	        this.messageId = source["messageId"];
	        this.suggestionId = source["suggestionId"];
	        this.status = source["status"];
	        this.suggestion = this.convertValues(source["suggestion"], Suggestion);
	        this.articles = this.convertValues(source["articles"], tandem.KnowledgeHit);
	        this.known = source["known"];
	        this.dropped = source["dropped"];
	        this.repaired = source["repaired"];
	        this.flagged = source["flagged"];
	        this.tone = source["tone"];
	        this.error = source["error"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace tandem {
	
	export class Article {
	    id: number;
	    key: string;
	    title: string;
	    body: string;
	    tags: string;
	    lang: string;
	    url: string;
	    source: string;
	    // Go type: time
	    updatedAt: any;
	
	    static createFrom(source: any = {}) {
	        return new Article(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.key = source["key"];
	        this.title = source["title"];
	        this.body = source["body"];
	        this.tags = source["tags"];
	        this.lang = source["lang"];
	        this.url = source["url"];
	        this.source = source["source"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Conversation {
	    id: number;
	    externalId: string;
	    source: string;
	    title: string;
	    customerName: string;
	    customerLang: string;
	    status: string;
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    updatedAt: any;
	    lastMessage: string;
	    messageCount: number;
	    sentiment: string;
	    urgency: string;
	
	    static createFrom(source: any = {}) {
	        return new Conversation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.externalId = source["externalId"];
	        this.source = source["source"];
	        this.title = source["title"];
	        this.customerName = source["customerName"];
	        this.customerLang = source["customerLang"];
	        this.status = source["status"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.lastMessage = source["lastMessage"];
	        this.messageCount = source["messageCount"];
	        this.sentiment = source["sentiment"];
	        this.urgency = source["urgency"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class GlossaryEntry {
	    source: string;
	    target: string;
	    lang: string;
	
	    static createFrom(source: any = {}) {
	        return new GlossaryEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.source = source["source"];
	        this.target = source["target"];
	        this.lang = source["lang"];
	    }
	}
	export class KnowledgeHit {
	    article: Article;
	    passage: string;
	    matches: string[];
	    score: number;
	    via: string[];
	
	    static createFrom(source: any = {}) {
	        return new KnowledgeHit(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.article = this.convertValues(source["article"], Article);
	        this.passage = source["passage"];
	        this.matches = source["matches"];
	        this.score = source["score"];
	        this.via = source["via"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Message {
	    id: number;
	    conversationId: number;
	    externalId: string;
	    role: string;
	    text: string;
	    lang: string;
	    // Go type: time
	    sentAt: any;
	    // Go type: time
	    createdAt: any;
	
	    static createFrom(source: any = {}) {
	        return new Message(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.conversationId = source["conversationId"];
	        this.externalId = source["externalId"];
	        this.role = source["role"];
	        this.text = source["text"];
	        this.lang = source["lang"];
	        this.sentAt = this.convertValues(source["sentAt"], null);
	        this.createdAt = this.convertValues(source["createdAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Passage {
	    Text: string;
	    TitleTerms: string;
	    Terms: string;
	
	    static createFrom(source: any = {}) {
	        return new Passage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.Text = source["Text"];
	        this.TitleTerms = source["TitleTerms"];
	        this.Terms = source["Terms"];
	    }
	}
	export class Settings {
	    ollamaHost: string;
	    chatModel: string;
	    embedModel: string;
	    agentLang: string;
	    uiLang: string;
	    ingestPort: number;
	    ingestToken: string;
	    chatwootMode: string;
	    chatwootUrl: string;
	    chatwootAccountId: number;
	    chatwootToken: string;
	    chatwootSecret: string;
	    glossary: GlossaryEntry[];
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ollamaHost = source["ollamaHost"];
	        this.chatModel = source["chatModel"];
	        this.embedModel = source["embedModel"];
	        this.agentLang = source["agentLang"];
	        this.uiLang = source["uiLang"];
	        this.ingestPort = source["ingestPort"];
	        this.ingestToken = source["ingestToken"];
	        this.chatwootMode = source["chatwootMode"];
	        this.chatwootUrl = source["chatwootUrl"];
	        this.chatwootAccountId = source["chatwootAccountId"];
	        this.chatwootToken = source["chatwootToken"];
	        this.chatwootSecret = source["chatwootSecret"];
	        this.glossary = this.convertValues(source["glossary"], GlossaryEntry);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SimilarConversation {
	    conversation: Conversation;
	    question: string;
	    resolution: string;
	    matches: string[];
	    score: number;
	
	    static createFrom(source: any = {}) {
	        return new SimilarConversation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.conversation = this.convertValues(source["conversation"], Conversation);
	        this.question = source["question"];
	        this.resolution = source["resolution"];
	        this.matches = source["matches"];
	        this.score = source["score"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace transcript {
	
	export class Skipped {
	    line: number;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new Skipped(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.line = source["line"];
	        this.reason = source["reason"];
	    }
	}
	export class Report {
	    conversations: number;
	    messages: number;
	    duplicates: number;
	    skipped: Skipped[];
	
	    static createFrom(source: any = {}) {
	        return new Report(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.conversations = source["conversations"];
	        this.messages = source["messages"];
	        this.duplicates = source["duplicates"];
	        this.skipped = this.convertValues(source["skipped"], Skipped);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

