//go:build bindings

package main

// wails build runs the app once, built with this tag, to list the bound
// methods; run() then keeps off the real database.
const generatingBindings = true
