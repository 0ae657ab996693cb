package app

import (
	"context"

	"tandem/internal/health"
	"tandem/internal/tandem"
)

// SettingsStore is what SettingsService needs of the database.
type SettingsStore interface {
	Settings(ctx context.Context, defaults tandem.Settings) (tandem.Settings, error)
	SaveSettings(ctx context.Context, s tandem.Settings) error
	Path() string
}

// Monitor is told of the server and models to watch when settings change.
type Monitor interface {
	Configure(health.Config)
}

var _ Monitor = (*health.Monitor)(nil)

// SettingsService reads and saves the agent's settings and applies them at once.
type SettingsService struct {
	ctx      context.Context
	store    SettingsStore
	defaults tandem.Settings
	monitor  Monitor
	events   Emitter
}

func NewSettingsService(ctx context.Context, store SettingsStore, defaults tandem.Settings, monitor Monitor, events Emitter) *SettingsService {
	return &SettingsService{ctx: ctx, store: store, defaults: defaults, monitor: monitor, events: events}
}

// Get returns the current settings.
func (s *SettingsService) Get() (tandem.Settings, error) {
	return s.store.Settings(s.ctx, s.defaults)
}

// Defaults returns the settings of a first start, for a reset button.
func (s *SettingsService) Defaults() tandem.Settings { return s.defaults }

// Save validates, stores and applies the settings.
func (s *SettingsService) Save(set tandem.Settings) error {
	if err := s.store.SaveSettings(s.ctx, set); err != nil {
		return err
	}
	s.monitor.Configure(health.ConfigOf(set))
	s.events.Emit(EventSettingsChanged, set)
	return nil
}

// DatabasePath is where everything is stored, shown in Settings.
func (s *SettingsService) DatabasePath() string { return s.store.Path() }
