package dev.myrmex.core.internal;

import dev.myrmex.core.IllegalValException;
import dev.myrmex.core.Tag;
import dev.myrmex.core.Val;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies that a {@link Val} class is deeply immutable, once per class, and compiles what cannot be known from the
 * declared types into a short list of per-value checks (usually empty).
 *
 * <h2>Rules</h2>
 * A Val class is a record, an enum, or a final class whose instance fields (inherited ones too) are all final. Each
 * component or field has a declared type that is one of: a primitive; an immutable JDK value type
 * ({@link #IMMUTABLE_LEAVES}); an enum; a {@link Tag}; a concrete Val class (verified recursively); an open Val type
 * (a Val interface, abstract class or a type variable bounded by Val: the value's own class is verified when a value
 * is checked); {@code List}, {@code Set}, {@code Collection}, {@code Map} or {@code Optional} of allowed types (the
 * value must be one of the JDK's unmodifiable collections, and its elements are checked when their type is open).
 * Anything else (an array, a mutable collection type, a raw collection, an unbounded type variable, any other
 * class) is an {@link IllegalValException} naming the class and the component.
 *
 * <h2>Threads</h2>
 * Thread-safe: plans are immutable and cached in a {@link ClassValue}; a failure is cached as well and rethrown as a
 * fresh exception each time. Cycles between Val types are verified coinductively: a class met again while it is
 * being verified is checked by its value's class instead.
 */
public final class ValVerifier {
    /** Final JDK classes whose instances cannot change. */
    private static final Set<Class<?>> IMMUTABLE_LEAVES = Set.of(String.class, Boolean.class, Character.class,
            Byte.class, Short.class, Integer.class, Long.class, Float.class, Double.class, java.util.UUID.class,
            java.util.Locale.class, java.time.Instant.class, java.time.Duration.class, java.time.Period.class,
            java.time.LocalDate.class, java.time.LocalTime.class, java.time.LocalDateTime.class,
            java.time.OffsetDateTime.class, java.time.OffsetTime.class, java.time.ZonedDateTime.class,
            java.time.ZoneOffset.class, java.time.ZoneId.class, java.time.Year.class, java.time.YearMonth.class,
            java.time.MonthDay.class);
    private static final Set<Class<?>> COLLECTION_INTERFACES = Set.of(List.class, Set.class, Collection.class);

    private static final ClassValue<Object> PLANS = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            try {
                return compile(type);
            } catch (Failure f) {
                return f;
            }
        }
    };
    private static final ThreadLocal<Set<Class<?>>> IN_PROGRESS = ThreadLocal.withInitial(HashSet::new);

    private ValVerifier() {
    }

    /** Verifies {@code type} (once; later calls are a cache hit) and returns its per-value checks. */
    public static Plan plan(Class<?> type) {
        Object p = PLANS.get(type);
        if (p instanceof Failure f) {
            throw f.toException();
        }
        return (Plan) p;
    }

    /** Verifies the class of {@code value}, then runs the checks its declared types left for values. */
    public static void check(Object value) {
        plan(value.getClass()).checkValue(value);
    }

    /** A cached verification failure; thrown as a fresh {@link IllegalValException} each time. */
    private static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Class<?> type;
        final String component;
        final String problem;

        Failure(Class<?> type, String component, String problem) {
            super(problem, null, false, false);
            this.type = type;
            this.component = component;
            this.problem = problem;
        }

        IllegalValException toException() {
            return new IllegalValException(type, component, problem);
        }
    }

    /** What remains to check on each value of a verified class. */
    public static final class Plan {
        private final Class<?> type;
        private final List<Check> checks;

        Plan(Class<?> type, List<Check> checks) {
            this.type = type;
            this.checks = List.copyOf(checks);
        }

        /** True if values of this class need no check at all: everything was settled by the declared types. */
        public boolean needsNoValueChecks() {
            return checks.isEmpty();
        }

        public void checkValue(Object value) {
            for (Check c : checks) {
                Object component;
                try {
                    component = c.getter.invoke(value);
                } catch (Throwable t) {
                    throw new IllegalValException(type, c.path, "cannot be read: " + t);
                }
                c.rule.check(component, type, c.path);
            }
        }
    }

    private record Check(String path, MethodHandle getter, Rule rule) {
    }

    /** A check of one value against what its declared type promised. Null values are immutable and always pass. */
    private interface Rule {
        void check(Object value, Class<?> owner, String path);
    }

    private static final Rule OPEN_VAL = (value, owner, path) -> {
        if (value == null) {
            return;
        }
        if (!(value instanceof Val)) {
            throw new IllegalValException(owner, path, "holds a " + value.getClass().getName() + ", not a Val");
        }
        try {
            check(value);
        } catch (IllegalValException e) {
            throw new IllegalValException(owner, path, "holds a value that is not a valid Val: " + e.getMessage());
        }
    };

    private record CollectionRule(Rule elements) implements Rule {
        @Override
        public void check(Object value, Class<?> owner, String path) {
            if (value == null) {
                return;
            }
            requireUnmodifiable(value, owner, path);
            if (elements != null) {
                for (Object e : (Collection<?>) value) {
                    elements.check(e, owner, path + "[]");
                }
            }
        }
    }

    private record MapRule(Rule keys, Rule values) implements Rule {
        @Override
        public void check(Object value, Class<?> owner, String path) {
            if (value == null) {
                return;
            }
            requireUnmodifiable(value, owner, path);
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (keys != null) {
                    keys.check(e.getKey(), owner, path + "{key}");
                }
                if (values != null) {
                    values.check(e.getValue(), owner, path + "{value}");
                }
            }
        }
    }

    private record OptionalRule(Rule inner) implements Rule {
        @Override
        public void check(Object value, Class<?> owner, String path) {
            if (value instanceof Optional<?> o && o.isPresent()) {
                inner.check(o.get(), owner, path + ".get()");
            }
        }
    }

    private record NestedRule(Plan plan) implements Rule {
        @Override
        public void check(Object value, Class<?> owner, String path) {
            if (value != null) {
                plan.checkValue(value);
            }
        }
    }

    private static void requireUnmodifiable(Object value, Class<?> owner, String path) {
        if (!isUnmodifiableJdkCollection(value.getClass())) {
            throw new IllegalValException(owner, path, "holds a " + value.getClass().getName()
                    + ", which can change (or is a view of something that can); store List.copyOf(...), "
                    + "Set.copyOf(...) or Map.copyOf(...)");
        }
    }

    private static boolean isUnmodifiableJdkCollection(Class<?> c) {
        String n = c.getName();
        return n.startsWith("java.util.ImmutableCollections$")
                || n.equals("java.util.Collections$EmptyList") || n.equals("java.util.Collections$EmptySet")
                || n.equals("java.util.Collections$EmptyMap") || n.equals("java.util.Collections$SingletonList")
                || n.equals("java.util.Collections$SingletonSet") || n.equals("java.util.Collections$SingletonMap");
    }

    // ---- compiling a class into a plan ----

    private static Plan compile(Class<?> type) {
        if (!Val.class.isAssignableFrom(type)) {
            throw new Failure(type, "", "does not implement Val");
        }
        boolean concrete = type.isRecord() || type.isEnum()
                || (Modifier.isFinal(type.getModifiers()) && !type.isInterface());
        if (!concrete) {
            throw new Failure(type, "", "a Val must be a record, an enum or a final class (an interface or an "
                    + "open class can have mutable subclasses; its implementations are verified one by one)");
        }
        Set<Class<?>> inProgress = IN_PROGRESS.get();
        inProgress.add(type);
        try {
            MethodHandles.Lookup lookup;
            try {
                lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            } catch (IllegalAccessException e) {
                throw new Failure(type, "", "its components cannot be read: open its package to Myrmex (" + e + ")");
            }
            List<Check> checks = new ArrayList<>();
            if (type.isRecord()) {
                for (RecordComponent rc : type.getRecordComponents()) {
                    Rule rule = ruleFor(rc.getGenericType(), type, rc.getName(), inProgress);
                    if (rule != null) {
                        checks.add(new Check(rc.getName(), getter(lookup, rc), rule));
                    }
                }
            } else {
                for (Class<?> c = type; c != null && c != Object.class && c != Enum.class; c = c.getSuperclass()) {
                    for (Field f : c.getDeclaredFields()) {
                        if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
                            continue;
                        }
                        if (!Modifier.isFinal(f.getModifiers())) {
                            throw new Failure(type, f.getName(), "a non-final field (declared in " + c.getName() + ")");
                        }
                        Rule rule = ruleFor(f.getGenericType(), type, f.getName(), inProgress);
                        if (rule != null) {
                            if (type.isEnum()) {
                                throw new Failure(type, f.getName(), "an enum field must have a closed immutable "
                                        + "type (a collection or open Val type cannot be checked per constant)");
                            }
                            checks.add(new Check(f.getName(), fieldGetter(lookup, c, f), rule));
                        }
                    }
                }
            }
            return new Plan(type, checks);
        } finally {
            inProgress.remove(type);
        }
    }

    private static MethodHandle getter(MethodHandles.Lookup lookup, RecordComponent rc) {
        try {
            return lookup.unreflect(rc.getAccessor()).asType(java.lang.invoke.MethodType.methodType(Object.class,
                    Object.class));
        } catch (IllegalAccessException e) {
            throw new Failure(rc.getDeclaringRecord(), rc.getName(), "cannot be read: " + e);
        }
    }

    private static MethodHandle fieldGetter(MethodHandles.Lookup lookup, Class<?> declaring, Field f) {
        try {
            MethodHandles.Lookup l = declaring == lookup.lookupClass() ? lookup
                    : MethodHandles.privateLookupIn(declaring, MethodHandles.lookup());
            return l.unreflectGetter(f).asType(java.lang.invoke.MethodType.methodType(Object.class, Object.class));
        } catch (IllegalAccessException e) {
            throw new Failure(declaring, f.getName(), "cannot be read: " + e);
        }
    }

    /** The per-value rule a declared type needs, null if the type alone settles it; throws {@link Failure}. */
    private static Rule ruleFor(Type t, Class<?> owner, String path, Set<Class<?>> inProgress) {
        if (t instanceof Class<?> c) {
            return ruleForClass(c, owner, path, inProgress);
        }
        if (t instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (COLLECTION_INTERFACES.contains(raw)) {
                return new CollectionRule(ruleFor(args[0], owner, path + "[]", inProgress));
            }
            if (raw == Map.class) {
                return new MapRule(ruleFor(args[0], owner, path + "{key}", inProgress),
                        ruleFor(args[1], owner, path + "{value}", inProgress));
            }
            if (raw == Optional.class) {
                Rule inner = ruleFor(args[0], owner, path + ".get()", inProgress);
                return inner == null ? null : new OptionalRule(inner);
            }
            // A generic Val class (Envelope<Quote>): its own verification covers its type variables per value.
            return ruleForClass(raw, owner, path, inProgress);
        }
        if (t instanceof TypeVariable<?> v) {
            for (Type bound : v.getBounds()) {
                if (bound instanceof Class<?> b && Val.class.isAssignableFrom(b)
                        || bound instanceof ParameterizedType pb
                        && Val.class.isAssignableFrom((Class<?>) pb.getRawType())) {
                    return OPEN_VAL;
                }
            }
            throw new Failure(owner, path, "type variable " + v.getName() + " is not bounded by Val, so its values "
                    + "cannot be verified: declare <" + v.getName() + " extends Val>");
        }
        if (t instanceof WildcardType w) {
            Type[] upper = w.getUpperBounds();
            if (upper.length == 1 && upper[0] != Object.class) {
                return ruleFor(upper[0], owner, path, inProgress);
            }
            throw new Failure(owner, path, "wildcard " + w + " cannot be verified: bound it by a Val type");
        }
        throw new Failure(owner, path, "type " + t.getTypeName() + " cannot be verified");
    }

    private static Rule ruleForClass(Class<?> c, Class<?> owner, String path, Set<Class<?>> inProgress) {
        if (c.isPrimitive() || IMMUTABLE_LEAVES.contains(c)) {
            return null;
        }
        if (c.isArray()) {
            throw new Failure(owner, path, "an array (" + c.getTypeName() + "); arrays can always be changed: use "
                    + "List.copyOf(...) or an Iso");
        }
        if (Tag.class.isAssignableFrom(c)) {
            return null;
        }
        if (c.isEnum() && !Val.class.isAssignableFrom(c)) {
            return enumFields(c, owner, path);
        }
        if (Val.class.isAssignableFrom(c)) {
            boolean concrete = c.isRecord() || c.isEnum() || (Modifier.isFinal(c.getModifiers()) && !c.isInterface());
            if (!concrete || inProgress.contains(c)) {
                return OPEN_VAL; // verified by each value's own class
            }
            Plan nested;
            try {
                nested = plan(c);
            } catch (IllegalValException e) {
                throw new Failure(owner, path, "is not a valid Val: " + e.getMessage());
            }
            return nested.needsNoValueChecks() ? null : new NestedRule(nested);
        }
        if (COLLECTION_INTERFACES.contains(c) || c == Map.class || c == Optional.class) {
            throw new Failure(owner, path, "a raw " + c.getSimpleName() + ": give its element type so that the "
                    + "elements can be verified");
        }
        if (Collection.class.isAssignableFrom(c) || Map.class.isAssignableFrom(c)) {
            throw new Failure(owner, path, "a mutable collection type (" + c.getName() + "): declare List, Set or "
                    + "Map and store List.copyOf(...), Set.copyOf(...) or Map.copyOf(...)");
        }
        throw new Failure(owner, path, "of class " + c.getName() + ", which is not a Val, a Tag, an enum, a "
                + "primitive or a known immutable JDK type");
    }

    /** An enum not marked Val is allowed if its own fields are final and of closed immutable types. */
    private static Rule enumFields(Class<?> e, Class<?> owner, String path) {
        for (Field f : e.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
                continue;
            }
            if (!Modifier.isFinal(f.getModifiers())) {
                throw new Failure(owner, path, "enum " + e.getName() + " has a non-final field '" + f.getName() + "'");
            }
            if (ruleFor(f.getGenericType(), owner, path + "." + f.getName(), new HashSet<>()) != null) {
                throw new Failure(owner, path, "enum " + e.getName() + " field '" + f.getName()
                        + "' has an open type that cannot be checked per constant");
            }
        }
        return null;
    }
}
