package dev.myrmex.ipc.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the record codec needs of one record class, found once by reflection: its components' types (and a list
 * component's element type), accessors and canonical constructor as method handles, and its name in bytes. A
 * primitive component also has an accessor that returns it unboxed, widened to {@code long} (integral types and
 * {@code char}), {@code double} (floating point) or {@code boolean}, so writing one allocates nothing. Immutable.
 */
public final class RecordShape {
    private final Class<?> type;
    private final byte[] name;
    private final Class<?>[] types;
    private final Class<?>[] elementTypes; // per component: a List's element class, or Object.class
    private final String[] componentNames;
    private final MethodHandle[] accessors; // (Object)Object
    private final MethodHandle[] unboxed; // primitive components: (Object)long, (Object)double or (Object)boolean
    private final MethodHandle constructor; // (Object[])Object

    private RecordShape(Class<?> type) throws ReflectiveOperationException {
        this.type = type;
        this.name = type.getName().getBytes(StandardCharsets.UTF_8);
        RecordComponent[] components = type.getRecordComponents();
        int n = components.length;
        types = new Class<?>[n];
        elementTypes = new Class<?>[n];
        componentNames = new String[n];
        accessors = new MethodHandle[n];
        unboxed = new MethodHandle[n];
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        for (int i = 0; i < n; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            elementTypes[i] = elementType(c);
            componentNames[i] = c.getName();
            var accessor = c.getAccessor();
            accessor.setAccessible(true);
            MethodHandle h = lookup.unreflect(accessor);
            accessors[i] = h.asType(MethodType.methodType(Object.class, Object.class));
            if (types[i].isPrimitive()) {
                Class<?> wide = types[i] == boolean.class ? boolean.class
                        : types[i] == float.class || types[i] == double.class ? double.class : long.class;
                unboxed[i] = h.asType(MethodType.methodType(wide, Object.class));
            }
        }
        Constructor<?> ctor = type.getDeclaredConstructor(types);
        ctor.setAccessible(true);
        constructor = lookup.unreflectConstructor(ctor).asSpreader(Object[].class, n)
                .asType(MethodType.methodType(Object.class, Object[].class));
    }

    private static final ClassValue<Object> CACHE = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            try {
                return RecordShape.of(type);
            } catch (IllegalArgumentException e) {
                return e.getMessage(); // remembered: the class stays unusable
            }
        }
    };

    /**
     * The shape of record class {@code type}, found once per class.
     *
     * @throws IllegalArgumentException if it is not a record, or its members cannot be reached (every time)
     */
    public static RecordShape cached(Class<?> type) {
        Object s = CACHE.get(type);
        if (s instanceof RecordShape shape) {
            return shape;
        }
        throw new IllegalArgumentException((String) s);
    }

    /**
     * The shape of record class {@code type}.
     *
     * @throws IllegalArgumentException if it is not a record, or its members cannot be reached
     */
    public static RecordShape of(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        try {
            return new RecordShape(type);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot reach the components of record " + type.getName() + ": " + e,
                    e);
        }
    }

    private static Class<?> elementType(RecordComponent c) {
        if (List.class.isAssignableFrom(c.getType()) && c.getGenericType() instanceof ParameterizedType p) {
            Type arg = p.getActualTypeArguments()[0];
            if (arg instanceof Class<?> k) {
                return k;
            }
            if (arg instanceof ParameterizedType pk && pk.getRawType() instanceof Class<?> raw) {
                return raw;
            }
        }
        return Object.class;
    }

    public Class<?> type() {
        return type;
    }

    /** The class name in UTF-8: what the wire carries. Do not modify. */
    public byte[] nameBytes() {
        return name;
    }

    public int size() {
        return types.length;
    }

    public Class<?> componentType(int i) {
        return types[i];
    }

    public Class<?> elementType(int i) {
        return elementTypes[i];
    }

    public String componentName(int i) {
        return componentNames[i];
    }

    /** Component {@code i} of {@code record}. */
    public Object get(Object record, int i) {
        try {
            return accessors[i].invokeExact(record);
        } catch (Throwable t) {
            throw rethrow(i, t);
        }
    }

    /** Primitive component {@code i} (integral or {@code char}) of {@code record}, widened to a long. */
    public long integral(Object record, int i) {
        try {
            return (long) unboxed[i].invokeExact(record);
        } catch (Throwable t) {
            throw rethrow(i, t);
        }
    }

    /** Primitive component {@code i} ({@code float} or {@code double}) of {@code record}, as a double. */
    public double floating(Object record, int i) {
        try {
            return (double) unboxed[i].invokeExact(record);
        } catch (Throwable t) {
            throw rethrow(i, t);
        }
    }

    /** Primitive component {@code i} ({@code boolean}) of {@code record}. */
    public boolean bool(Object record, int i) {
        try {
            return (boolean) unboxed[i].invokeExact(record);
        } catch (Throwable t) {
            throw rethrow(i, t);
        }
    }

    private RuntimeException rethrow(int i, Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("accessor " + componentNames[i] + " of " + type.getName() + " threw " + t, t);
    }

    /**
     * A new record from its components.
     *
     * @throws Exception whatever the canonical constructor throws (it may validate)
     */
    public Object construct(Object[] values) throws Exception {
        try {
            return constructor.invokeExact(values);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
