package org.slimlab.train;

import org.slimlab.nn.Param;

import java.util.function.Predicate;

/**
 * A set of parameters with its own optimizer and schedule (e.g. weights by SGD, mask logits or quantiser bounds
 * by Adam). Groups are matched in order; the first whose selector accepts a parameter owns it.
 */
public record ParamGroup(String name, Predicate<Param> selects, Optimizer optimizer, Schedule schedule) {}
