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

// SettingsService reads and saves the agent's settings and applies them at once.
type SettingsService struct {
	ctx      context.Context
	store    SettingsStore
	defaults tandem.Settings
	events   Emitter
	apply    []func(tandem.Settings)
}

// NewSettingsService calls each apply function with the new settings after
// every save, so that the parts they configure change at once.
func NewSettingsService(ctx context.Context, store SettingsStore, defaults tandem.Settings, events Emitter, apply ...func(tandem.Settings)) *SettingsService {
	return &SettingsService{ctx: ctx, store: store, defaults: defaults, events: events, apply: apply}
}

// ApplyToMonitor points the health monitor at the settings' server and models.
func ApplyToMonitor(m *health.Monitor) func(tandem.Settings) {
	return func(s tandem.Settings) { m.Configure(health.ConfigOf(s)) }
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
	for _, apply := range s.apply {
		apply(set)
	}
	s.events.Emit(EventSettingsChanged, set)
	return nil
}

// DatabasePath is where everything is stored, shown in Settings.
func (s *SettingsService) DatabasePath() string { return s.store.Path() }
