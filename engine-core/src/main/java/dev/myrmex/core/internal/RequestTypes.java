package dev.myrmex.core.internal;

import dev.myrmex.core.Request;
import dev.myrmex.core.Sendable;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.HashMap;
import java.util.Map;

/**
 * What a {@link Request} class declares: the messages it belongs to ({@code P}) and the reply it asks for
 * ({@code R}), read from its generic supertypes once per class. A class may declare them directly
 * ({@code implements Account, Request<Account, Balance>}) or through interfaces of its own, generic or not
 * ({@code interface Query<R> extends Account, Request<Account, R>}; {@code record GetBalance() implements
 * Query<Balance>}): type arguments are carried down the hierarchy. A parameter left open in the class itself (a
 * generic record {@code Get<T>} asking for a {@code T}) resolves to its bound.
 *
 * <p>Thread-safe: shapes are immutable and cached in a {@link ClassValue}; a class that is not one of its own
 * messages is refused each time it is asked, with the same message.
 */
public final class RequestTypes {
    /** A request class's declared protocol and reply, as classes; {@code reply} is null when any reply will do. */
    public record Shape(Class<?> protocol, Class<?> reply, String refusal) {
    }

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            return shapeOf(type);
        }
    };

    private RequestTypes() {
    }

    /**
     * The shape of {@code request}'s class.
     *
     * @throws IllegalArgumentException if the class does not implement the protocol it declares
     */
    public static Shape of(Request<?, ?> request) {
        Shape shape = SHAPES.get(request.getClass());
        if (shape.refusal != null) {
            throw new IllegalArgumentException(shape.refusal);
        }
        return shape;
    }

    private static Shape shapeOf(Class<?> type) {
        Type[] arguments = requestArguments(type, new HashMap<>());
        if (arguments == null) { // only a raw Request: nothing declared to check against
            return new Shape(Sendable.class, null, null);
        }
        Class<?> protocol = erasure(arguments[0]);
        Class<?> reply = erasure(arguments[1]);
        String refusal = protocol.isAssignableFrom(type) ? null : type.getName() + " is a request to agents taking "
                + protocol.getName() + " but does not implement " + protocol.getSimpleName()
                + ": a request must be one of the messages of the agents it asks (declare that it implements "
                + protocol.getSimpleName() + ")";
        return new Shape(protocol, reply == Sendable.class ? null : reply, refusal);
    }

    /**
     * The type arguments {@code type} gives {@code Request}, with the bindings of its subtypes applied; null if it
     * reaches {@code Request} only raw.
     */
    private static Type[] requestArguments(Type type, Map<TypeVariable<?>, Type> bindings) {
        Class<?> raw;
        Map<TypeVariable<?>, Type> own = new HashMap<>();
        if (type instanceof ParameterizedType p) {
            raw = (Class<?>) p.getRawType();
            TypeVariable<?>[] parameters = raw.getTypeParameters();
            Type[] actual = p.getActualTypeArguments();
            for (int i = 0; i < parameters.length; i++) {
                own.put(parameters[i], resolve(actual[i], bindings));
            }
            if (raw == Request.class) {
                return new Type[] {own.get(parameters[0]), own.get(parameters[1])};
            }
        } else if (type instanceof Class<?> c) {
            raw = c;
        } else {
            return null;
        }
        for (Type supertype : raw.getGenericInterfaces()) {
            Type[] found = requestArguments(supertype, own);
            if (found != null) {
                return found;
            }
        }
        Type superclass = raw.getGenericSuperclass();
        return superclass == null ? null : requestArguments(superclass, own);
    }

    private static Type resolve(Type argument, Map<TypeVariable<?>, Type> bindings) {
        return argument instanceof TypeVariable<?> v && bindings.containsKey(v) ? bindings.get(v) : argument;
    }

    /** The class a declared type stands for: a type variable left open stands for its first bound. */
    private static Class<?> erasure(Type type) {
        return switch (type) {
            case Class<?> c -> c;
            case ParameterizedType p -> (Class<?>) p.getRawType();
            case TypeVariable<?> v -> erasure(v.getBounds()[0]);
            default -> Sendable.class;
        };
    }
}
