// Command Tandem is the desktop app. This file only wires: it opens the
// database, seeds the demo on a first start, builds the services and hands
// them to Wails. The headless entry on the same packages is cmd/tandem.
package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"

	"tandem/app"
	"tandem/internal/demo"
	"tandem/internal/httpapi"
	"tandem/internal/ingest"
	"tandem/internal/store"
	"tandem/internal/tandem"
)

//go:embed all:frontend/dist
var assets embed.FS

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "tandem:", err)
		os.Exit(1)
	}
}

func run() error {
	dbPath := flag.String("db", "", "database file (default: $TANDEM_DB, else Tandem/tandem.db in the user config folder)")
	flag.Parse()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))

	path := *dbPath
	if generatingBindings {
		dir, err := os.MkdirTemp("", "tandem-bindings-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "tandem.db")
	}
	if path == "" {
		var err error
		if path, err = store.DefaultPath(os.Getenv); err != nil {
			return err
		}
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	if seeded, err := demo.SeedOnce(ctx, st, time.Now()); err != nil {
		return err
	} else if seeded {
		logger.Info("seeded the demo", "db", path)
	}

	defaults := tandem.DefaultSettings(os.Getenv)
	settings, err := st.Settings(ctx, defaults)
	if err != nil {
		return err
	}
	if settings.EnsureToken() {
		if err := st.SaveSettings(ctx, settings); err != nil {
			return err
		}
	}
	wrt := &app.WailsRuntime{}
	events := app.NewThrottle(100*time.Millisecond, wrt.Emit)
	monitor := app.NewMonitor(settings, events)
	ing := ingest.New(st)
	cw := app.NewChatwootRunner(ctx, ing, logger)
	api := app.NewAPIRunner(ctx, func(token string) *httpapi.Server {
		srv := httpapi.New(ing, st, token, logger)
		srv.Handle("POST /v1/chatwoot/webhook", cw) // signed by Chatwoot, not by the token
		return srv
	}, events, logger)

	status := app.NewStatusService(monitor)
	knowledge := app.NewKnowledgeService(ctx, st)
	embedder := app.NewEmbedRunner(st, events, logger)
	suggestions := app.NewSuggestService(ctx, st, knowledge, events, logger)
	settingsSvc := app.NewSettingsService(ctx, st, defaults, events, app.ApplyToMonitor(monitor), api.Apply, cw.Apply,
		knowledge.Apply, embedder.Apply, suggestions.Apply)
	conversations := app.NewConversationService(ctx, st)
	ingestSvc := app.NewIngestService(ctx, ing, st, wrt, events, api.Status)
	imports := app.NewImportService(ctx, ing, wrt, events)
	kbase := app.NewKBService(ctx, st, wrt, events, time.Second)
	app.OnKBChange(kbase, embedder.Kick) // new passages get their embeddings
	chatwootSvc := app.NewChatwootService(ctx, cw, st, ing)

	return wails.Run(&options.App{
		Title:     "Tandem",
		Width:     1280,
		Height:    800,
		MinWidth:  900,
		MinHeight: 560,
		AssetServer: &assetserver.Options{
			Assets: assets,
		},
		BackgroundColour: &options.RGBA{R: 246, G: 247, B: 249, A: 1},
		OnStartup: func(wctx context.Context) {
			wrt.Start(wctx)
			go monitor.Run(ctx)
			go app.ForwardIngestEvents(ctx, ing, events)
			go app.WatchClipboard(ctx, ingestSvc, 500*time.Millisecond)
			api.Apply(settings)
			cw.Apply(settings)
			knowledge.Apply(settings)
			suggestions.Apply(settings)
			go app.FollowIngest(ctx, ing, suggestions)
			go embedder.Run(ctx)
			embedder.Apply(settings)
			if err := app.ResumeWatches(kbase); err != nil {
				logger.Error("resume watched knowledge-base folders", "err", err)
			}
		},
		OnShutdown: func(context.Context) {
			events.Flush()
			cancel()
			app.StopWatches(kbase)
		},
		Bind: []any{settingsSvc, status, conversations, ingestSvc, knowledge, imports, kbase, chatwootSvc, suggestions},
	})
}
